"""Reading the learning platforms."""
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform


def active_platforms() -> list[LearningPlatform]:
    """Return the active learning platforms in the administrator's order."""
    return list(db.session.execute(
        db.select(LearningPlatform).where(LearningPlatform.active.is_(True))
        .order_by(LearningPlatform.sort_order, LearningPlatform.id)).scalars())
