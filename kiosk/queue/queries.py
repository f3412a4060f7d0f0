"""Reading the queue: what the kiosk, the phone page, the console and the display show."""
from datetime import datetime

from sqlalchemy import and_, false, func, or_

from kiosk.extensions import db
from kiosk.queue.models import (
    Desk, PublicHoliday, Service, Site, Ticket, TicketEvent, desk_service,
)
from kiosk.queue.policy import calls_before
from kiosk.timeutil import local_today


def site_by_code(code: str) -> Site | None:
    """Return the active site with this code."""
    return db.session.execute(
        db.select(Site).where(Site.code == code, Site.active.is_(True))
    ).scalar_one_or_none()


def active_services(site_id: int) -> list[Service]:
    """Return a site's active services in the administrator's order."""
    return list(db.session.execute(
        db.select(Service).where(Service.site_id == site_id, Service.active.is_(True))
        .order_by(Service.sort_order, Service.id)
    ).scalars())


def is_holiday(site_id: int, day) -> bool:
    """Tell whether a local day is a public holiday of the site (the centre is closed)."""
    return db.session.execute(
        db.select(PublicHoliday.id).where(PublicHoliday.site_id == site_id, PublicHoliday.day == day)
    ).first() is not None


def service_by_code(site_id: int, code: str) -> Service | None:
    """Return a site's active service with this code."""
    return db.session.execute(
        db.select(Service).where(Service.site_id == site_id, Service.code == code,
                                 Service.active.is_(True))
    ).scalar_one_or_none()


def people_ahead(ticket: Ticket) -> int:
    """Count the waiting tickets of the same service that will be called before this one.

    Strict priority: every waiting priority ticket, then the older normal ones: a count in
    SQL. "N normal : 1 priority": the rule is replayed over the service's waiting queue
    (policy.calls_before), so a normal ticket counts only the priority tickets that will really
    be fitted in before it. Desks' current streaks and desks serving several services are not
    modelled: it is an estimate, exact for one desk starting a fresh streak.
    """
    if ticket.status != "waiting":
        return 0
    site = db.session.get(Site, ticket.site_id)
    same_queue = (Ticket.site_id == ticket.site_id, Ticket.day == ticket.day,
                  Ticket.service_id == ticket.service_id, Ticket.status == "waiting")
    if site.priority_policy == "strict":
        older = or_(Ticket.issued_at < ticket.issued_at,
                    and_(Ticket.issued_at == ticket.issued_at, Ticket.id < ticket.id))
        first = Ticket.priority.is_(True) if not ticket.priority else false()
        return db.session.execute(
            db.select(func.count()).select_from(Ticket).where(
                *same_queue, Ticket.id != ticket.id,
                or_(first, and_(Ticket.priority.is_(ticket.priority), older)))).scalar_one()
    # Plain rows, not tickets: a busy morning's queue is read on every poll of every phone.
    waiting = db.session.execute(
        db.select(Ticket.id, Ticket.priority, Ticket.issued_at).where(*same_queue)
        .order_by(Ticket.issued_at, Ticket.id)).all()
    return calls_before(site, waiting, ticket)


def mean_service_seconds(site_id: int, day) -> float | None:
    """Mean service time of the tickets finished today at a site; None before the first."""
    rows = db.session.execute(
        db.select(Ticket.started_at, Ticket.ended_at).where(
            Ticket.site_id == site_id, Ticket.day == day, Ticket.status == "done",
            Ticket.started_at.is_not(None), Ticket.ended_at.is_not(None))
    ).all()
    durations = [(end - start).total_seconds() for start, end in rows if end >= start]
    return sum(durations) / len(durations) if durations else None


def desks_serving(service_id: int) -> int:
    """Count the open desks that serve a service."""
    return db.session.execute(
        db.select(func.count()).select_from(Desk).join(desk_service)
        .where(desk_service.c.service_id == service_id, Desk.active.is_(True),
               Desk.paused.is_(False))
    ).scalar_one()


def estimated_wait_minutes(ticket: Ticket, ahead: int) -> int | None:
    """Estimate a ticket's wait from today's real service times; None until there is data."""
    mean = mean_service_seconds(ticket.site_id, ticket.day)
    if mean is None:
        return None
    desks = max(desks_serving(ticket.service_id), 1)
    return max(1, round(ahead * mean / desks / 60)) if ahead else 0


def ticket_by_token(token: str) -> Ticket | None:
    """Return today's ticket for a phone-page token; older tokens have expired."""
    ticket = db.session.execute(
        db.select(Ticket).where(Ticket.token == token)).scalar_one_or_none()
    if ticket is None or ticket.day != local_today():
        return None
    return ticket


def waiting_counts(site_id: int, day) -> list[tuple[Service, int]]:
    """Return (service, number waiting) for a site's active services today."""
    counts = dict(db.session.execute(
        db.select(Ticket.service_id, func.count()).where(
            Ticket.site_id == site_id, Ticket.day == day, Ticket.status == "waiting")
        .group_by(Ticket.service_id)).all())
    return [(s, counts.get(s.id, 0)) for s in active_services(site_id)]


def serving_now(site_id: int, day) -> list[Ticket]:
    """Return the tickets called or being served at a site today, newest call first."""
    return list(db.session.execute(
        db.select(Ticket).where(Ticket.site_id == site_id, Ticket.day == day,
                                Ticket.status.in_(("called", "serving")))
        .order_by(Ticket.called_at.desc())).scalars())


def last_event_at(site_id: int) -> datetime | None:
    """Return the time of a site's latest change of the queue: an issue or an event."""
    event_at, issued_at = db.session.execute(db.select(
        db.select(func.max(TicketEvent.at)).where(TicketEvent.site_id == site_id).scalar_subquery(),
        db.select(func.max(Ticket.issued_at))  # today's: an index seek, not a year of tickets
        .where(Ticket.site_id == site_id, Ticket.day == local_today()).scalar_subquery(),
    )).one()
    return max((t for t in (event_at, issued_at) if t is not None), default=None)


def queue_state(site: Site) -> dict:
    """Return the public state of a site's queue (no personal data)."""
    day = local_today()
    desks = {d.id: d for d in site.desks}
    serving = [
        {"desk": desks[t.desk_id].number if t.desk_id in desks else None,
         "number": t.label,
         "called_at": t.called_at.isoformat() if t.called_at else None}
        for t in serving_now(site.id, day)
    ]
    waiting = [{"service": s.code, "count": n} for s, n in waiting_counts(site.id, day)]
    updated = last_event_at(site.id) or site.created_at
    return {"site": site.code, "serving": serving, "waiting": waiting,
            "updated_at": updated.isoformat()}


def ticket_json(ticket: Ticket) -> dict:
    """Describe a ticket for staff screens and the API (no personal data)."""
    def iso(value):
        return value.isoformat() if value else None
    return {
        "id": ticket.id, "number": ticket.label, "service": ticket.service.code,
        "priority": ticket.priority, "status": ticket.status,
        "desk": ticket.desk.number if ticket.desk else None,
        "recall_count": ticket.recall_count, "issued_at": iso(ticket.issued_at),
        "called_at": iso(ticket.called_at), "started_at": iso(ticket.started_at),
        "ended_at": iso(ticket.ended_at),
    }
