"""Administration: desks, help categories and learning platforms."""
from kiosk.admin import bp  # noqa: F401
