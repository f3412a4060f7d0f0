"""The landing page, health check and language switch."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from kiosk.main import views  # noqa: E402,F401
