"""Sign-in throttling: growing waits after failures, per typed username and per client address,
and a temporary lock-out of an account. Kept in the database so every app process agrees."""
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, literal
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.audit.services import record_event
from kiosk.auth.models import LoginThrottle
from kiosk.auth.services import find_user
from kiosk.dbtypes import UTCDateTime
from kiosk.extensions import db
from kiosk.timeutil import utcnow

log = logging.getLogger(__name__)

# The longest key: "user:" and a username cut to 64 characters, or "ip:" and an IPv6 address.
KEY_LENGTH = 120


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in attempt is refused before its password is even looked at."""

    seconds: int
    locked_out: bool


def account_key(typed_username: str) -> str:
    """Return the throttle key of a typed username (known or not: both are treated alike)."""
    return ("user:" + typed_username[:64])[:KEY_LENGTH]


def address_key(address: str | None) -> str:
    """Return the throttle key of a client address."""
    return ("ip:" + (address or "unknown"))[:KEY_LENGTH]


def _settings() -> dict:
    config = current_app.config
    return {
        "window": timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"]),
        "cap": config["LOGIN_MAX_DELAY_SECONDS"],
        "lockout_failures": config["LOGIN_LOCKOUT_FAILURES"],
        "lockout": timedelta(seconds=config["LOGIN_LOCKOUT_SECONDS"]),
    }


def delay_after(failures: int, free: int, cap: int) -> int:
    """Return the seconds to wait after `failures` in a row: none for the first `free`, then
    2, 4, 8… seconds, never more than `cap`."""
    if failures < free:
        return 0
    return min(cap, 2 ** (failures - free + 1))


def refusal(typed_username: str, address: str | None,
            now: datetime | None = None) -> Refusal | None:
    """Tell whether an attempt must be refused now, and for how long (a read, no password check)."""
    now = now or utcnow()
    settings = _settings()
    free = {account_key(typed_username): current_app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"],
            address_key(address): current_app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"]}
    rows = db.session.execute(
        db.select(LoginThrottle).where(LoginThrottle.key.in_(list(free)))).scalars().all()
    wait, locked_out = 0.0, False
    for row in rows:
        if row.locked_until is not None and row.locked_until > now:
            wait, locked_out = max(wait, (row.locked_until - now).total_seconds()), True
            continue
        if row.first_failure_at < now - settings["window"]:
            continue  # failures older than the window are forgotten
        allowed = row.last_failure_at + timedelta(
            seconds=delay_after(row.failures, free[row.key], settings["cap"]))
        if allowed > now:
            wait = max(wait, (allowed - now).total_seconds())
    if wait <= 0:
        return None
    return Refusal(seconds=max(1, math.ceil(wait)), locked_out=locked_out)


def _count_failure(key: str, now: datetime, window_start: datetime) -> int:
    """Add one failure to a key in one atomic statement (a new window when the old one is over)."""
    table = LoginThrottle.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    at = literal(now, UTCDateTime())
    stale = table.c.first_failure_at < window_start
    stmt = insert(table).values(key=key, failures=1, first_failure_at=now, last_failure_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.key], set_={
        "failures": case((stale, 1), else_=table.c.failures + 1),
        "first_failure_at": case((stale, at), else_=table.c.first_failure_at),
        "last_failure_at": at,
    }).returning(table.c.failures)
    return db.session.execute(stmt).scalar_one()


def note_failure(typed_username: str, address: str | None) -> bool:
    """Count a failed sign-in for the name and the address; lock the account out after too many.

    Return True when this failure locked the account (audited as `auth.locked_out`).
    """
    now = utcnow()
    settings = _settings()
    _count_failure(address_key(address), now, now - settings["window"])
    key = account_key(typed_username)
    failures = _count_failure(key, now, now - settings["window"])
    if failures < settings["lockout_failures"]:
        return False
    until = now + settings["lockout"]
    # Conditional, so that of two racing failures only one locks and audits.
    locked = db.session.execute(
        db.update(LoginThrottle).where(
            LoginThrottle.key == key,
            LoginThrottle.locked_until.is_(None) | (LoginThrottle.locked_until <= now))
        .values(locked_until=until).execution_options(synchronize_session=False)).rowcount
    if not locked:
        return False
    target = typed_username[:64]
    user = find_user(target)
    record_event("auth.locked_out", target=target, site_id=user.site_id if user else None,
                 user_id=user.id if user else None, failures=failures, until=until.isoformat())
    log.warning("Sign-in for %r locked out until %s after %d failures", target, until, failures)
    return True


def forget_failures(username: str) -> None:
    """Clear an account's failures and lock-out (a successful sign-in, an administrator)."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.key == account_key(username))
                       .execution_options(synchronize_session=False))


def prune(now: datetime | None = None) -> None:
    """Delete rows whose failures and lock-out are both over (typed names pile up otherwise)."""
    now = now or utcnow()
    window_start = now - _settings()["window"]
    db.session.execute(db.delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < window_start,
        LoginThrottle.locked_until.is_(None) | (LoginThrottle.locked_until <= now))
        .execution_options(synchronize_session=False))

