"""The console's idle lock, kept on the server-side session row: every app-server process agrees,
and a replayed cookie can neither undo the lock nor reset the count of wrong passwords."""
import logging
from datetime import timedelta

from flask import g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from kiosk.api import abort_json, json_body
from kiosk.audit.services import record_event
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.auth.sessions import (
    count_unlock_failure, current_session, end_session, save_session_state,
)
from kiosk.extensions import db
from kiosk.staff import bp
from kiosk.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_UNLOCK_FAILURES = 5
# Activity is written at most this often: the lock counts in minutes, polls come every 1.5 s.
ACTIVITY_RESOLUTION = timedelta(seconds=15)
# Endpoints the lock guards: the console page, its form posts and the staff API.
GUARDED_PREFIXES = ("staff.console", "staff.api_")


def lock_seconds() -> int:
    """Idle seconds before the console locks (the site's setting, 10 minutes by default)."""
    minutes = current_user.site.console_lock_minutes or 10
    return max(1, minutes) * 60


def is_locked() -> bool:
    """Tell whether this signed-in browser's console is locked (by hand, or idle too long)."""
    row = current_session()
    if row is None:
        return False
    if row.console_locked:
        return True
    seen = row.console_seen_at
    return seen is not None and (utcnow() - seen).total_seconds() > lock_seconds()


def mark_active() -> None:
    """Record activity at the console (polls count only when the helper touched something)."""
    row = current_session()
    if row is None:
        return
    now = utcnow()
    if row.console_seen_at is None or now - row.console_seen_at >= ACTIVITY_RESOLUTION:
        save_session_state(row, console_seen_at=now)


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
    row = current_session()
    if row is not None:
        save_session_state(row, console_locked=True)
        db.session.commit()
        log.info("Console of %s locked", current_user.username)
    return jsonify({"locked": True})


@bp.route("/console/unlock", methods=["POST"])
@role_required(*STAFF_ROLES)
def unlock():
    """Unlock the console with the user's password; too many wrong tries sign the user out."""
    row = current_session()
    if row is None:  # a bearer token has no console to unlock
        abort_json(400, "no_session", "only a signed-in browser has a console to unlock")
    password = json_body().get("password")
    if isinstance(password, str) and password and current_user.check_password(password):
        save_session_state(row, console_locked=False, console_seen_at=utcnow(), unlock_failures=0)
        db.session.commit()
        log.info("Console of %s unlocked", current_user.username)
        return jsonify({"locked": False})
    failures = count_unlock_failure(row)
    if failures >= MAX_UNLOCK_FAILURES:
        end_session(row)
        record_event("auth.console_signed_out", target=current_user.username,
                     site_id=current_user.site_id, failures=failures)
        log.warning("%s signed out after %d wrong unlock passwords", current_user.username,
                    failures)
        db.session.commit()
        logout_user()
        abort_json(401, "signed_out", _("Sai mật khẩu quá nhiều lần, vui lòng đăng nhập lại."))
    db.session.commit()
    abort_json(403, "bad_password", _("Mật khẩu không đúng."), field="password")
