"""Administration: reading the audit log."""
from kiosk.admin import bp  # noqa: F401
