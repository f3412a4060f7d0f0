"""The console's idle lock, kept in the session so every app-server process agrees."""
import time

from flask import g, jsonify, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from kiosk.api import abort_json, json_body
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.staff import bp

SEEN_KEY = "console_seen"
FAILURES_KEY = "console_unlock_failures"
MAX_UNLOCK_FAILURES = 5
# Endpoints the lock guards: the console page, its form posts and the staff API.
GUARDED_PREFIXES = ("staff.console", "staff.api_")


def lock_seconds() -> int:
    """Idle seconds before the console locks (the site's setting, 10 minutes by default)."""
    minutes = current_user.site.console_lock_minutes or 10
    return max(1, minutes) * 60


def is_locked() -> bool:
    """Tell whether this browser session's console is locked."""
    seen = session.get(SEEN_KEY)
    if seen is None:
        return False
    return seen == 0 or time.time() - seen > lock_seconds()


def mark_active() -> None:
    """Record activity at the console (polls count only when the helper touched something)."""
    session[SEEN_KEY] = int(time.time())


@bp.before_request
def enforce_console_lock():
    """Refuse the console's requests while it is locked (bearer-token clients have no console)."""
    endpoint = request.endpoint or ""
    if not endpoint.startswith(GUARDED_PREFIXES) or endpoint == "staff.console":
        return None
    if not current_user.is_authenticated or g.get("token_auth"):
        return None
    if is_locked():
        abort_json(423, "locked", _("Màn hình đã khóa, vui lòng nhập lại mật khẩu."))
    if request.method != "GET" or request.args.get("active") == "1":
        mark_active()
    return None


@bp.route("/console/lock", methods=["POST"])
@role_required(*STAFF_ROLES)
def lock():
    """Lock the console now (the page does it after the idle time, or on request)."""
    session[SEEN_KEY] = 0
    return jsonify({"locked": True})


@bp.route("/console/unlock", methods=["POST"])
@role_required(*STAFF_ROLES)
def unlock():
    """Unlock the console with the user's password; too many wrong tries sign the user out."""
    password = json_body().get("password")
    if isinstance(password, str) and password and current_user.check_password(password):
        session.pop(FAILURES_KEY, None)
        mark_active()
        return jsonify({"locked": False})
    failures = session.get(FAILURES_KEY, 0) + 1
    session[FAILURES_KEY] = failures
    if failures >= MAX_UNLOCK_FAILURES:
        session.pop(FAILURES_KEY, None)
        logout_user()
        abort_json(401, "signed_out", _("Sai mật khẩu quá nhiều lần, vui lòng đăng nhập lại."))
    abort_json(403, "bad_password", _("Mật khẩu không đúng."), field="password")
