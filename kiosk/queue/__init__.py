"""The queue: sites, desks, services, ticket numbering and calling (the domain core)."""
from flask import Blueprint

bp = Blueprint("queue", __name__)

from kiosk.queue import views  # noqa: E402,F401  (routes register on bp)
