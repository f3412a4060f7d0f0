"""Feature package: admin."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from kiosk.admin import auditlog, catalogue, users, views  # noqa: E402,F401
