"""The staff console, field logging and the duty rota."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from kiosk.staff import api, field, lock, rating, rota, views  # noqa: E402,F401
