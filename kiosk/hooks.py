"""Request hooks shared by every screen."""
from flask import current_app, g, redirect, request, url_for
from flask_login import current_user

from kiosk.api import abort_json, is_api_request
from kiosk.extensions import csrf

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Reachable with a temporary password: the page that replaces it, signing out, the language switch.
PASSWORD_CHANGE_EXEMPT = ("auth.password", "auth.logout", "main.set_language", "static")


def check_csrf():
    """Check the CSRF token of browser requests; bearer-token API calls carry none."""
    if request.method not in UNSAFE_METHODS or not current_app.config["WTF_CSRF_ENABLED"]:
        return
    if request.headers.get("Authorization", "")[:7].lower() == "bearer ":
        return
    csrf.protect()


def require_password_change():
    """Send a session user who still has a temporary password to the change-password page."""
    endpoint = request.endpoint or ""
    if endpoint in PASSWORD_CHANGE_EXEMPT or endpoint.endswith(".static"):
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if g.get("token_auth"):  # bearer-token API calls belong to devices and scripts, not a browser
        return None
    if is_api_request():
        abort_json(403, "password_change_required", "change the temporary password first")
    return redirect(url_for("auth.password"))


def security_headers(response):
    """Keep pages from being framed or sniffed, and keep kiosk pages out of the cache."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
