"""Reading what the console, the rating tablet and the rota show."""
from datetime import timedelta

from sqlalchemy import case, func

from kiosk.assists.queries import (
    as_id, helper_assist_count, last_unlogged_ticket, site_assist_count,
)
from kiosk.extensions import db
from kiosk.queue.models import Desk, PublicHoliday, Ticket
from kiosk.queue.queries import active_services, is_holiday, ticket_json
from kiosk.reference import service_name
from kiosk.staff.models import DutyShift
from kiosk.timeutil import local_today, utcnow

RATING_WINDOW = timedelta(minutes=3)
NEXT_SHOWN = 8


def site_desks(site_id: int) -> list[Desk]:
    """Return a site's active desks by number."""
    return list(db.session.execute(
        db.select(Desk).where(Desk.site_id == site_id, Desk.active.is_(True))
        .order_by(Desk.number)).scalars())


def desk_of_site(desk_id, site_id: int) -> Desk | None:
    """Return an active desk if it belongs to the site."""
    desk = db.session.get(Desk, as_id(desk_id)) if as_id(desk_id) else None
    if desk is None or desk.site_id != site_id or not desk.active:
        return None
    return desk


def _seconds_since(value, now) -> int:
    return max(0, int((now - value).total_seconds())) if value else 0


def waiting_by_service(site_id: int, day, now) -> list[dict]:
    """Count waiting and priority tickets per service, with the oldest wait (one GROUP BY)."""
    rows = {row.service_id: row for row in db.session.execute(
        db.select(Ticket.service_id, func.count().label("count"),
                  func.sum(case((Ticket.priority.is_(True), 1), else_=0)).label("priority"),
                  func.min(Ticket.issued_at).label("oldest"))
        .where(Ticket.site_id == site_id, Ticket.day == day, Ticket.status == "waiting")
        .group_by(Ticket.service_id)).all()}
    out = []
    for service in active_services(site_id):
        row = rows.get(service.id)
        oldest = row.oldest if row else None
        out.append({"service": service.code, "name": service_name(service),
                    "count": row.count if row else 0, "priority": int(row.priority or 0) if row else 0,
                    "oldest_seconds": _seconds_since(oldest, now)})
    return out


def next_for_desk(desk: Desk, day, now) -> list[dict]:
    """The next waiting tickets this desk may call: priority first, then by issue time."""
    codes = [s.id for s in desk.services if s.active]
    tickets = db.session.execute(
        db.select(Ticket).where(Ticket.site_id == desk.site_id, Ticket.day == day,
                                Ticket.status == "waiting", Ticket.service_id.in_(codes),
                                (Ticket.desk_id.is_(None)) | (Ticket.desk_id == desk.id))
        .order_by(Ticket.priority.desc(), Ticket.issued_at, Ticket.id).limit(NEXT_SHOWN)).scalars()
    return [{"number": t.label, "service": t.service.code, "priority": t.priority,
             "wait_seconds": _seconds_since(t.issued_at, now)} for t in tickets]


def ticket_counts(site_id: int, day) -> dict[str, int]:
    """Count a site's tickets of the day by status."""
    return dict(db.session.execute(
        db.select(Ticket.status, func.count()).where(Ticket.site_id == site_id, Ticket.day == day)
        .group_by(Ticket.status)).all())


def current_ticket(desk: Desk) -> Ticket | None:
    """Return the ticket a desk has called or is serving."""
    return db.session.execute(
        db.select(Ticket).where(Ticket.desk_id == desk.id,
                                Ticket.status.in_(("called", "serving")))
        .order_by(Ticket.called_at.desc()).limit(1)).scalar_one_or_none()


def console_state(desk: Desk, user) -> dict:
    """Everything the console shows for a desk, in one JSON object."""
    now = utcnow()
    day = local_today(now)
    current = current_ticket(desk)
    counts = ticket_counts(desk.site_id, day)
    unlogged = last_unlogged_ticket(user.id, day)
    return {
        "desk": {"id": desk.id, "number": desk.number, "name": desk.name, "paused": desk.paused,
                 "services": [s.code for s in desk.services]},
        "current": {**ticket_json(current), "service_name": service_name(current.service),
                    "wait_seconds": _seconds_since(current.called_at, now)} if current else None,
        "waiting": waiting_by_service(desk.site_id, day, now),
        "next": next_for_desk(desk, day, now),
        "today": {"waiting": counts.get("waiting", 0), "done": counts.get("done", 0),
                  "no_show": counts.get("no_show", 0),
                  "assists": site_assist_count(desk.site_id, day),
                  "mine": helper_assist_count(user.id, day)},
        "noshow_after": desk.site.noshow_after_recalls,
        "unlogged": {"id": unlogged.id, "number": unlogged.label} if unlogged else None,
    }


def rating_prompt(desk: Desk) -> Ticket | None:
    """Return the ticket the desk's rating tablet should ask about: just finished, unrated."""
    now = utcnow()
    return db.session.execute(
        db.select(Ticket).where(Ticket.desk_id == desk.id, Ticket.day == local_today(now),
                                Ticket.status == "done", Ticket.rating.is_(None),
                                Ticket.ended_at >= now - RATING_WINDOW)
        .order_by(Ticket.ended_at.desc()).limit(1)).scalar_one_or_none()


def rota(site_id: int) -> list[DutyShift]:
    """Return a site's weekly rota, Monday first, by start time."""
    return list(db.session.execute(
        db.select(DutyShift).where(DutyShift.site_id == site_id)
        .order_by(DutyShift.weekday, DutyShift.start, DutyShift.id)).scalars())


def on_duty_today(site_id: int) -> list[DutyShift]:
    """Return today's shifts at a site (the rota is weekly, Monday = 0; nobody on a holiday)."""
    today = local_today()
    if is_holiday(site_id, today):
        return []
    return list(db.session.execute(
        db.select(DutyShift).where(DutyShift.site_id == site_id,
                                   DutyShift.weekday == today.weekday())
        .order_by(DutyShift.start, DutyShift.id)).scalars())


def holidays_between(site_id: int, first, last) -> dict:
    """Return a site's holidays from first to last (local days, inclusive) as {day: name}."""
    return dict(db.session.execute(
        db.select(PublicHoliday.day, PublicHoliday.name)
        .where(PublicHoliday.site_id == site_id, PublicHoliday.day.between(first, last))).all())


def upcoming_holidays(site_id: int, today, limit: int = 30) -> list[PublicHoliday]:
    """Return a site's holidays from today on, soonest first."""
    return list(db.session.execute(
        db.select(PublicHoliday).where(PublicHoliday.site_id == site_id, PublicHoliday.day >= today)
        .order_by(PublicHoliday.day).limit(limit)).scalars())
