"""Request hooks shared by every screen."""
from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.api import abort_json, is_api_request, is_bad_text, json_error, request_json
from kiosk.auth.decorators import bearer_token
from kiosk.auth.services import USER_TOKEN_PREFIX, user_for_token
from kiosk.extensions import csrf, take_write_slot
from kiosk.monitoring.requestlog import finish_request, start_request
from kiosk.staticfiles import cache_versioned_static
from kiosk.touch.services import KIOSK_TOKEN_PREFIX, kiosk_for_token

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Reachable with a temporary password: the page that replaces it, signing out, the language switch.
PASSWORD_CHANGE_EXEMPT = ("auth.password", "auth.logout", "main.set_language", "static")
# Outside /api/ only the console's lock screen reads a JSON body; every other screen takes forms
# (Flask-WTF would otherwise turn any JSON value into form data and choke on it).
JSON_ENDPOINTS = ("staff.lock", "staff.unlock")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
       "object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'")


def _refuse(status: int, code: str, message: str):
    """Stop the request: a JSON error under /api/, the Vietnamese error page elsewhere."""
    if is_api_request():
        abort(json_error(status, code, message))
    abort(current_app.make_response(
        (render_template("errors/error.html", status=status, message=message), status)))


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _bad_text_in_request() -> bool:
    """Tell whether the path, query, form or upload names hold a control character."""
    texts = [request.path]
    sources = [request.args]
    if request.mimetype in FORM_TYPES:  # only a form body has a form (a poll parses none)
        sources.append(request.form)
        texts.extend(f.filename or "" for f in request.files.values())
    for source in sources:
        for key, values in source.lists():
            texts.append(key)
            texts.extend(values)
    return is_bad_text(" ".join(texts))  # one search: a space is no control character


def check_input():
    """Refuse, with a 4xx, input that no view can store: control characters, JSON to a form."""
    if _bad_text_in_request():
        _refuse(400, "bad_text", _("Dữ liệu gửi lên có ký tự không hợp lệ."))
    if request.method not in UNSAFE_METHODS or not request.is_json:
        return
    if is_api_request() or request.endpoint in JSON_ENDPOINTS:
        if request.content_length != 0:  # an empty body is no body; a view that needs one says so
            request_json()  # parsed once, strictly: depth, size, UTF-8 text (400/413 otherwise)
        return
    _refuse(415, "unsupported_media_type", _("Trang này chỉ nhận dữ liệu gửi từ biểu mẫu."))


def has_valid_bearer() -> bool:
    """Tell whether the request's bearer token belongs to an active user or a registered kiosk."""
    raw = bearer_token()
    if not raw:
        return False
    if raw.startswith(USER_TOKEN_PREFIX):
        return user_for_token(raw) is not None
    return raw.startswith(KIOSK_TOKEN_PREFIX) and kiosk_for_token(raw) is not None


def check_csrf():
    """Check the CSRF token of browser requests; only a bearer token that signs in skips it."""
    if request.method not in UNSAFE_METHODS or not current_app.config["WTF_CSRF_ENABLED"]:
        return
    if has_valid_bearer():
        return
    csrf.protect()


def may_be_signed_in() -> bool:
    """Tell whether the request carries anything that could sign someone in (a cookie or a
    token); the kiosk's and the phones' polls carry neither and skip the user lookup."""
    environ = request.environ
    return bool(environ.get("HTTP_COOKIE") or environ.get("HTTP_AUTHORIZATION"))


def require_password_change():
    """Send a session user who still has a temporary password to the change-password page."""
    if not may_be_signed_in():
        return None
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


SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN"),
                    ("Referrer-Policy", "same-origin"), ("Content-Security-Policy", CSP))


def security_headers(response):
    """Keep pages from being framed or sniffed, and run no script the app did not serve (a
    view that set one of these headers keeps its own)."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for name, value in SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def before_each_request():
    """Every request's checks, in order: its id and clock, a write slot for a writer, input
    refused early, CSRF, a temporary password (one hook: Flask pays its per-hook cost once)."""
    start_request()
    take_write_slot()
    check_input()
    check_csrf()
    return require_password_change()


def after_each_request(response):
    """Every response's headers, cache of versioned static files, count and log line."""
    security_headers(response)
    cache_versioned_static(response)
    return finish_request(response)
