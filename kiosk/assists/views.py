"""Views of the assists feature."""
