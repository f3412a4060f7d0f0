"""Read-side questions about users."""
from kiosk.auth.models import User
from kiosk.extensions import db


def demo_passwords_published() -> bool:
    """Tell whether an active demo account still has its published password (one EXISTS query)."""
    still_published = db.select(User.id).where(
        User.is_demo.is_(True), User.active.is_(True), User.password_changed_at.is_(None)).exists()
    return bool(db.session.execute(db.select(still_published)).scalar())
