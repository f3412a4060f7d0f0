"""Creating users and API tokens, finding who a token belongs to, the password policy."""
import hashlib
import logging
import secrets
import threading
import time
from functools import cache
from itertools import chain
from pathlib import Path

from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.audit.services import record_event
from kiosk.auth.models import ROLES, ApiToken, User, UserSession
from kiosk.extensions import db
from kiosk.timeutil import utcnow

log = logging.getLogger(__name__)

USER_TOKEN_PREFIX = "usr_"
MIN_PASSWORD_LENGTH = 8
POLICY_MIN_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# No look-alikes (0/o, 1/l/i): a temporary password is read off a screen and typed by hand.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_token(raw: str) -> str:
    """Return the SHA-256 hex digest stored in place of a token (tokens are random, not passwords)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_user(username: str, password: str, role: str, site_id: int, full_name: str = "") -> User:
    """Add a user with a hashed password."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password shorter than {MIN_PASSWORD_LENGTH} characters")
    if db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none():
        raise ValueError(f"user {username!r} exists")
    user = User(username=username, role=role, site_id=site_id, full_name=full_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_api_token(user: User) -> str:
    """Create a bearer token for a user and return it; only its hash is kept."""
    raw = USER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(raw)))
    db.session.flush()
    return raw


# A device's or script's token (a console's poll, a field phone's log) is looked up at most every
# TOKEN_MEMO_SECONDS in this process: a revoked token or a deactivated user is refused within that
# time on every worker, at once on the worker that made the change.
TOKEN_MEMO_SECONDS = 0.5
MAX_TOKEN_MEMO = 4096
_token_users: dict[str, tuple[dict, float]] = {}  # token hash -> (the user's columns, read at)
_token_users_lock = threading.Lock()


def user_for_token(raw: str) -> User | None:
    """Return the active user owning an unrevoked token (looked up once per request: the CSRF
    check and the sign-in both ask)."""
    memo = g.setdefault("users_by_token", {}) if has_request_context() else {}
    if raw not in memo:
        memo[raw] = _token_user(hash_token(raw))
    return memo[raw]


def _token_user(digest: str) -> User | None:
    """Return the token's user from this process's memo (a copy in this request's session) or
    from the database; unknown and revoked tokens are never remembered."""
    now = time.monotonic()
    held = _token_users.get(digest)
    if held is not None and now - held[1] < TOKEN_MEMO_SECONDS:
        user = User(**held[0])
        make_transient_to_detached(user)
        return db.session.merge(user, load=False)  # no statement; lazy loads work as usual
    token = db.session.execute(
        db.select(ApiToken).options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None or not token.user.active:
        return None
    columns = {column.key: getattr(token.user, column.key)
               for column in User.__mapper__.column_attrs}
    with _token_users_lock:
        if len(_token_users) >= MAX_TOKEN_MEMO:
            _token_users.clear()
        _token_users[digest] = (columns, now)
    return token.user


def forget_token_users() -> None:
    """Drop the memo of token users (a user or a token of this process changed)."""
    with _token_users_lock:
        _token_users.clear()


@event.listens_for(Session, "after_flush")
def _forget_on_change(session: Session, _context) -> None:
    """A user or token changed here (revoked, deactivated, new role): look them up again."""
    if _token_users and any(isinstance(obj, (User, ApiToken))
                            for obj in chain(session.dirty, session.deleted)):
        forget_token_users()


@event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk_change(state) -> None:
    """Bulk UPDATE or DELETE of users or tokens (an account's or a site's deletion) passes no
    object through the flush: look them up again too."""
    if _token_users and (state.is_update or state.is_delete) \
            and state.bind_mapper is not None and state.bind_mapper.class_ in (User, ApiToken):
        forget_token_users()


@cache
def dummy_hash(method: str) -> str:
    """Return the hash of a random password made with `method` (one per process)."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials.

    Every attempt checks one password hash, against a dummy one when the name is unknown, so the
    time taken does not tell whether a username exists.
    """
    user = find_user(username)
    stored = (user.password_hash if user is not None
              else dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]))
    matches = check_password_hash(stored, password)
    if user is None or not user.active or not matches:
        return None
    return user


def revoke_token(token: ApiToken) -> None:
    """Revoke an API token."""
    token.revoked_at = utcnow()
    db.session.flush()


@cache
def common_passwords() -> frozenset[str]:
    """Return the refused common passwords, lower-cased (read once)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def password_problems(password: str, username: str, current: str | None = None) -> list[str]:
    """Return why a new password is refused (empty when it is acceptable): the one policy."""
    problems = []
    lowered, name = password.lower(), (username or "").strip().lower()
    if len(password) < POLICY_MIN_LENGTH:
        problems.append(_l("Mật khẩu phải có ít nhất %(n)s ký tự.", n=POLICY_MIN_LENGTH))
    if name and name in lowered:
        problems.append(_l("Mật khẩu không được chứa tên đăng nhập."))
    if lowered in common_passwords():
        problems.append(_l("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."))
    if current is not None and password == current:
        problems.append(_l("Mật khẩu mới phải khác mật khẩu hiện tại."))
    return problems


def temporary_password(username: str) -> str:
    """Return a random temporary password like `k7dm-xq2p-w9ha` that passes the policy."""
    while True:
        groups = ("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))
        password = "-".join(groups)
        if not password_problems(password, username):
            return password


def set_temporary_password(user: User) -> str:
    """Give a user a new random password that must be changed at the next sign-in."""
    password = temporary_password(user.username)
    user.set_password(password)
    user.must_change_password = True
    db.session.flush()
    return password


def revoke_user_sessions(user: User, keep: UserSession | None = None) -> int:
    """Sign a user out everywhere, except the session `keep`; return how many were open."""
    stmt = db.update(UserSession).where(UserSession.user_id == user.id,
                                        UserSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    count = db.session.execute(stmt.values(revoked_at=utcnow())
                               .execution_options(synchronize_session=False)).rowcount
    if count:
        log.info("Revoked %d session(s) of %s", count, user.username)
    return count


def change_password(user: User, new_password: str, keep: UserSession | None = None) -> None:
    """Store a password the user chose (policy already checked), lift the forced change and end
    the user's other sessions (`keep` is the browser that made the change)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    revoke_user_sessions(user, keep=keep)
    record_event("auth.password_change", target=user.username, site_id=user.site_id,
                 user_id=user.id)
    db.session.flush()
    log.info("Password of %s changed", user.username)


def find_user(username: str) -> User | None:
    """Return the user with this username."""
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()


def record_login(user: User) -> None:
    """Note a successful sign-in (time and audit row)."""
    user.last_login_at = utcnow()
    record_event("auth.login", target=user.username, site_id=user.site_id, user_id=user.id)
    log.info("%s signed in", user.username)


def record_failed_login(typed_username: str) -> None:
    """Audit a refused sign-in under the typed name; the site is known when the name exists."""
    target = typed_username[:64]
    user = find_user(target)
    record_event("auth.login_failed", target=target, site_id=user.site_id if user else None)
    log.info("Refused sign-in for %r", target)


def record_logout(user: User) -> None:
    """Audit a sign-out."""
    record_event("auth.logout", target=user.username, site_id=user.site_id, user_id=user.id)
