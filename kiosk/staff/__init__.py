"""Feature package: staff."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from kiosk.staff import views  # noqa: E402,F401
