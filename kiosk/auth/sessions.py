"""Server-side sign-in sessions: cookies carry a random id, the database says if it counts."""
import logging
import secrets
from datetime import timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from kiosk.auth.models import User, UserSession
from kiosk.auth.services import hash_token
from kiosk.extensions import READ_METHODS, db, separate_write
from kiosk.timeutil import utcnow

log = logging.getLogger(__name__)

# last_seen_at is a hint for administrators, not a clock: write it at most this often.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def start_session(user: User, remember: bool) -> UserSession:
    """Open a session for a user who just proved their password; the user carries its id."""
    now = utcnow()
    seconds = current_app.config["REMEMBER_COOKIE_DURATION" if remember else "SESSION_LIFETIME_SECONDS"]
    raw = secrets.token_urlsafe(32)
    # Sessions that ended long ago are of no use to anyone: drop this user's expired rows.
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id,
                                                    UserSession.expires_at < now)
                       .execution_options(synchronize_session=False))
    row = UserSession(token_hash=hash_token(raw), user_id=user.id, remember=remember,
                      created_at=now, last_seen_at=now, expires_at=now + timedelta(seconds=seconds))
    db.session.add(row)
    db.session.flush()
    user.session_token = raw
    g.user_session = row
    return row


def user_for_session(raw: str) -> User | None:
    """Return the active user of an unrevoked, unexpired session (one indexed lookup)."""
    row = db.session.execute(
        db.select(UserSession).join(UserSession.user).options(contains_eager(UserSession.user))
        .where(UserSession.token_hash == hash_token(raw))).scalar_one_or_none()
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.active:
        return None
    row.user.session_token = raw
    g.user_session = row
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        save_session_state(row, last_seen_at=now)
    return row.user


def current_session() -> UserSession | None:
    """Return the session row of this request's signed-in browser (None for bearer tokens)."""
    return g.get("user_session")


def save_session_state(row: UserSession, **values) -> None:
    """Change columns of a session row without turning a read request into a write.

    A POST writes in the request's own transaction (the view commits); a GET writes in a short
    transaction of its own, as a GET's read transaction must never become a write.
    """
    if has_request_context() and request.method in READ_METHODS:
        with separate_write() as session:
            session.execute(db.update(UserSession).where(UserSession.id == row.id).values(**values))
        for name, value in values.items():
            set_committed_value(row, name, value)
        return
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()


def end_session(row: UserSession) -> None:
    """Revoke one session (sign-out, too many wrong unlock passwords)."""
    row.revoked_at = utcnow()
    db.session.flush()
    log.info("Session %s of %s ended", row.id, row.user.username)



def count_unlock_failure(row: UserSession) -> int:
    """Add a wrong console-unlock password to a session in one statement; return the count.

    Counted on the server: replaying an older cookie does not reset it.
    """
    failures = db.session.execute(
        db.update(UserSession).where(UserSession.id == row.id)
        .values(unlock_failures=UserSession.unlock_failures + 1)
        .returning(UserSession.unlock_failures)
        .execution_options(synchronize_session=False)).scalar_one()
    set_committed_value(row, "unlock_failures", failures)
    return failures
