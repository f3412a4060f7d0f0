"""Feature package: platforms."""
from flask import Blueprint

bp = Blueprint("platforms", __name__)

from kiosk.platforms import views  # noqa: E402,F401
