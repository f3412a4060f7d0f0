"""Users, roles and API tokens."""
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.dbtypes import UTCDateTime, utc_now
from kiosk.extensions import db

ROLES = ("admin", "officer", "volunteer", "reporter", "city")
STAFF_ROLES = ("admin", "officer", "volunteer")


class User(UserMixin, db.Model):
    """A person who signs in: staff, the VHXH office, an administrator or the city."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_place: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A temporary password (new user, reset by an administrator) must be replaced at sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Created by `seed-demo`: while one still has its published password, staff pages say so.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    site = relationship("Site")

    # The random id of the signed-in browser session this instance was loaded for (not a column).
    session_token = None

    def get_id(self) -> str:
        """Return what Flask-Login puts in the cookies: the session's random id, not the user id."""
        if not self.session_token:
            raise RuntimeError("this user was not loaded through a server-side session")
        return self.session_token

    def __eq__(self, other):
        """Compare users by primary key (UserMixin would compare get_id, now a session's id)."""
        if isinstance(other, User):
            return self.id == other.id
        return NotImplemented

    __hash__ = object.__hash__

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def first_name(self) -> str:
        """The given name, last word of a Vietnamese full name."""
        parts = (self.full_name or self.username).split()
        return parts[-1] if parts else self.username


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A signed-in browser: its cookies carry a random id, only whose SHA-256 is stored here.

    The console's idle lock lives on the row too, so a replayed cookie cannot undo it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    console_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    console_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    unlock_failures: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Failed sign-ins per typed username ("user:<name>") and per client address ("ip:<addr>")."""

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
