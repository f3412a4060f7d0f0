"""Read-side questions about users."""
from datetime import datetime

from kiosk.auth.models import LoginThrottle, User
from kiosk.auth.throttle import account_key
from kiosk.extensions import db
from kiosk.timeutil import utcnow


def demo_passwords_published() -> bool:
    """Tell whether an active demo account still has its published password (one EXISTS query)."""
    still_published = db.select(User.id).where(
        User.is_demo.is_(True), User.active.is_(True), User.password_changed_at.is_(None)).exists()
    return bool(db.session.execute(db.select(still_published)).scalar())


def locked_accounts(usernames: list[str], now: datetime | None = None) -> dict[str, datetime]:
    """Return when the lock-out ends for each of these usernames that is locked out now."""
    now = now or utcnow()
    keys = {account_key(name): name for name in usernames}
    rows = db.session.execute(db.select(LoginThrottle.key, LoginThrottle.locked_until).where(
        LoginThrottle.key.in_(list(keys)), LoginThrottle.locked_until > now)).all()
    return {keys[row.key]: row.locked_until for row in rows}
