"""Request hooks shared by every screen."""
from flask import current_app, request

from kiosk.extensions import csrf

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def check_csrf():
    """Check the CSRF token of browser requests; bearer-token API calls carry none."""
    if request.method not in UNSAFE_METHODS or not current_app.config["WTF_CSRF_ENABLED"]:
        return
    if request.headers.get("Authorization", "")[:7].lower() == "bearer ":
        return
    csrf.protect()


def security_headers(response):
    """Keep pages from being framed or sniffed, and keep kiosk pages out of the cache."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
