"""Feature package: display."""
from flask import Blueprint

bp = Blueprint("display", __name__)

from kiosk.display import admin, views  # noqa: E402,F401
