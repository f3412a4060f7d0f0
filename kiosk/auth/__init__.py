"""Sign-in, roles, API tokens."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from kiosk.auth import views  # noqa: E402,F401
