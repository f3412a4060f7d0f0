"""The citizen kiosk: touch screens, ticket issuing, the phone status page, kiosk devices."""
from flask import Blueprint

bp = Blueprint("touch", __name__)

from kiosk.touch import api, views  # noqa: E402,F401
