"""Feature package: reports."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from kiosk.reports import api, increments, summary, views  # noqa: E402,F401
