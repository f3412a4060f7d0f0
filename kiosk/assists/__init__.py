"""Feature package: assists."""
from flask import Blueprint

bp = Blueprint("assists", __name__)

from kiosk.assists import api, views  # noqa: E402,F401
