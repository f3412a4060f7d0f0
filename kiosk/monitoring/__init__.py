"""What an operator watches: request ids, one JSON log line a request, Prometheus metrics."""
from flask import Blueprint

bp = Blueprint("monitoring", __name__)

from kiosk.monitoring import views  # noqa: E402,F401  (routes register on bp)
