"""Creating users and API tokens, and finding who a token belongs to."""
import hashlib
import secrets

from kiosk.auth.models import ROLES, ApiToken, User
from kiosk.extensions import db
from kiosk.timeutil import utcnow

USER_TOKEN_PREFIX = "usr_"
MIN_PASSWORD_LENGTH = 8


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


def user_for_token(raw: str) -> User | None:
    """Return the active user owning an unrevoked token."""
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == hash_token(raw),
                                  ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None or not token.user.active:
        return None
    return token.user


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials."""
    user = db.session.execute(
        db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def revoke_token(token: ApiToken) -> None:
    """Revoke an API token."""
    token.revoked_at = utcnow()
    db.session.flush()
