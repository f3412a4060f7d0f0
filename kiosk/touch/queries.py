"""Reads for the kiosk screens."""
from sqlalchemy import func

from kiosk.extensions import db
from kiosk.queue.models import TicketCounter
from kiosk.timeutil import local_today


def issued_today(site_id: int) -> dict[int, int]:
    """Return {service id: numbers issued today} (to grey out capped services)."""
    rows = db.session.execute(
        db.select(TicketCounter.service_id, func.max(TicketCounter.last_number))
        .where(TicketCounter.site_id == site_id, TicketCounter.day == local_today())
        .group_by(TicketCounter.service_id)).all()
    return dict(rows)
