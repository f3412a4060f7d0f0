"""Views of the platforms feature."""
