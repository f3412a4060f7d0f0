"""Views of the touch feature."""
