"""Views of the display feature."""
