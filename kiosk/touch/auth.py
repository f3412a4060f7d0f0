"""Recognising the kiosk behind a request: a device token or a paired browser cookie."""
from flask import g, request

from kiosk.api import abort_json
from kiosk.auth.decorators import bearer_token
from kiosk.touch.services import KIOSK_TOKEN_PREFIX, kiosk_for_cookie, kiosk_for_token

KIOSK_COOKIE = "kiosk_device"


def current_kiosk():
    """Return the registered kiosk making this request, or None."""
    if "kiosk" not in g:
        raw = bearer_token()
        if raw and raw.startswith(KIOSK_TOKEN_PREFIX):
            g.kiosk = kiosk_for_token(raw)
        else:
            g.kiosk = kiosk_for_cookie(request.cookies.get(KIOSK_COOKIE))
    return g.kiosk


def require_kiosk_api():
    """Return the kiosk, or stop with a JSON 401."""
    device = current_kiosk()
    if device is None:
        abort_json(401, "kiosk_required", "only a registered kiosk may issue tickets")
    return device
