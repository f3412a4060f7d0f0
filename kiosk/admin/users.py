"""Administration: the site's users and their passwords."""
from kiosk.admin import bp  # noqa: F401
