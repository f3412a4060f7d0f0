"""Feature package: touch."""
from flask import Blueprint

bp = Blueprint("touch", __name__)

from kiosk.touch import views  # noqa: E402,F401
