"""An administrator's changes to the users of a site: flush, never commit; every change audited."""
import logging

from kiosk.audit.models import AuditEvent
from kiosk.audit.services import record_event
from kiosk.auth.models import ApiToken, User, UserSession
from kiosk.auth.services import revoke_user_sessions, set_temporary_password
from kiosk.auth.throttle import forget_failures
from kiosk.extensions import db
from kiosk.timeutil import utcnow

log = logging.getLogger(__name__)

# A site's administrator hands out these roles; `city` users are created from the command line.
SITE_ROLES = ("admin", "officer", "volunteer", "reporter")


def create_account(site_id: int, username: str, full_name: str, role: str) -> tuple[User, str]:
    """Add a user with a temporary password; return the user and that password (shown once)."""
    if role not in SITE_ROLES:
        raise ValueError(f"a site administrator may not create {role!r} users")
    user = User(username=username, full_name=full_name, role=role, site_id=site_id,
                password_hash="")
    db.session.add(user)
    password = set_temporary_password(user)
    record_event("user.create", target=username, site_id=site_id, role=role)
    log.info("User %s (%s) created at site %s", username, role, site_id)
    return user, password


def update_account(user: User, full_name: str, role: str, site_id: int) -> None:
    """Change a user's name and role."""
    before = user.role
    user.full_name = full_name
    user.role = role
    record_event("user.update", target=user.username, site_id=site_id, role=role,
                 previous_role=before)
    db.session.flush()
    log.info("User %s updated (role %s -> %s)", user.username, before, role)


def reset_password(user: User, site_id: int, keep: UserSession | None = None) -> str:
    """Replace a user's password with a new temporary one and return it (shown once); the user's
    sessions end (`keep`: the administrator's own, when resetting their own password)."""
    password = set_temporary_password(user)
    # The old password (a published demo one, say) stops working now: that is a change.
    user.password_changed_at = utcnow()
    revoke_user_sessions(user, keep=keep)
    record_event("user.password_reset", target=user.username, site_id=site_id)
    log.info("Password of %s reset by an administrator", user.username)
    return password


def set_active(user: User, active: bool, site_id: int) -> None:
    """Deactivate or reactivate a user (a deactivated user cannot sign in or use tokens)."""
    user.active = active
    if not active:
        revoke_user_sessions(user)
    record_event("user.reactivate" if active else "user.deactivate", target=user.username,
                 site_id=site_id)
    db.session.flush()
    log.info("User %s %s", user.username, "reactivated" if active else "deactivated")


def has_history(user: User) -> bool:
    """Tell whether a user left a trace: an assist, a served ticket or an audit event."""
    from kiosk.assists.models import Assist
    from kiosk.queue.models import Ticket

    traces = (
        db.select(Assist.id).where((Assist.helper_id == user.id) | (Assist.entered_by_id == user.id)),
        db.select(Ticket.id).where(Ticket.served_by_id == user.id),
        db.select(AuditEvent.id).where(AuditEvent.user_id == user.id),
    )
    return any(db.session.execute(q.limit(1)).first() is not None for q in traces)


def delete_account(user: User, site_id: int) -> None:
    """Delete a user without history, with their duty shifts and API tokens."""
    from kiosk.staff.models import DutyShift

    if has_history(user):
        raise ValueError(f"user {user.username!r} has a history")
    db.session.execute(db.delete(DutyShift).where(DutyShift.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == user.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id)
                       .execution_options(synchronize_session=False))
    username = user.username
    db.session.delete(user)
    record_event("user.delete", target=username, site_id=site_id)
    log.info("User %s deleted", username)


def unlock_account(user: User, site_id: int) -> None:
    """Lift a sign-in lock-out early and forget the account's failed attempts."""
    forget_failures(user.username)
    record_event("user.unlock", target=user.username, site_id=site_id)
    log.info("Sign-in lock-out of %s lifted by an administrator", user.username)
