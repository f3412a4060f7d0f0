"""Views of the queue feature."""
