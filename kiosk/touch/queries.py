"""Reads for the kiosk screens."""
from sqlalchemy import func

from kiosk.extensions import db
from kiosk.queue.models import Contact, Ticket, TicketCounter
from kiosk.timeutil import local_today, utcnow


def issued_today(site_id: int) -> dict[int, int]:
    """Return {service id: numbers issued today} (to grey out capped services)."""
    rows = db.session.execute(
        db.select(TicketCounter.service_id, func.max(TicketCounter.last_number))
        .where(TicketCounter.site_id == site_id, TicketCounter.day == local_today())
        .group_by(TicketCounter.service_id)).all()
    return dict(rows)


def unexpired_contacts(site_id: int) -> list[tuple[Contact, Ticket | None]]:
    """Return a site's consented follow-up contacts that have not expired, newest first."""
    return list(db.session.execute(
        db.select(Contact, Ticket).outerjoin(Ticket, Contact.ticket_id == Ticket.id)
        .where(Contact.site_id == site_id, Contact.expires_at > utcnow())
        .order_by(Contact.consented_at.desc())).all())
