"""Reading the learning platforms."""
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform


def active_platforms(site_id: int) -> list[LearningPlatform]:
    """Return a site's active learning platforms in the administrator's order."""
    return list(db.session.execute(
        db.select(LearningPlatform).where(LearningPlatform.site_id == site_id,
                                          LearningPlatform.active.is_(True))
        .order_by(LearningPlatform.sort_order, LearningPlatform.id)).scalars())


def site_platforms(site_id: int) -> list[LearningPlatform]:
    """Return all of a site's learning platforms, shown or hidden, in the administrator's order."""
    return list(db.session.execute(
        db.select(LearningPlatform).where(LearningPlatform.site_id == site_id)
        .order_by(LearningPlatform.sort_order, LearningPlatform.id)).scalars())
