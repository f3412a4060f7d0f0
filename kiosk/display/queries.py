"""Reading what the waiting-room board shows: desks, calls, waiting counts, rota, platforms."""
from datetime import timedelta

from sqlalchemy import func, or_

from kiosk.auth.models import User
from kiosk.display.voice import spoken_text
from kiosk.extensions import db
from kiosk.queue.models import Desk, Site, Ticket, TicketEvent
from kiosk.queue.queries import is_holiday, serving_now, waiting_counts
from kiosk.staff.models import DutyShift
from kiosk.timeutil import as_utc, local_day_bounds, local_today, to_local, utcnow

BOARD_EVENTS = ("called", "recalled", "transferred")
ANNOUNCED = ("called", "recalled")
RECENT_CALLS = 4
MAX_EVENTS = 10
LATE_COMMIT = timedelta(seconds=15)
STALE_AFTER = timedelta(minutes=2)  # after a long outage, old calls are shown but not read out


def active_desks(site: Site) -> list[Desk]:
    """Return a site's active desks by number."""
    return list(db.session.execute(
        db.select(Desk).where(Desk.site_id == site.id, Desk.active.is_(True))
        .order_by(Desk.number)).scalars())


def last_event_id(site_id: int) -> int:
    """Return the id of a site's newest queue event (0 before the first)."""
    return db.session.execute(
        db.select(func.coalesce(func.max(TicketEvent.id), 0))
        .where(TicketEvent.site_id == site_id)).scalar_one()


def _event_rows(site_id: int, desk_ids: list[int], after: int | None, limit: int,
                upto: int | None = None):
    """Select a site's board events (newest first), in (after, upto] or from today."""
    stmt = (db.select(TicketEvent.id, TicketEvent.kind, TicketEvent.at, Ticket.label, Desk.number)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .outerjoin(Desk, Desk.id == TicketEvent.desk_id)
            .where(TicketEvent.site_id == site_id, TicketEvent.kind.in_(BOARD_EVENTS),
                   TicketEvent.desk_id.in_(desk_ids))
            .order_by(TicketEvent.id.desc()).limit(limit))
    if after is not None:
        # Ids are taken at insert but become visible at commit, so on PostgreSQL an event can
        # appear below a cursor that already moved past it: events of the last few seconds
        # are sent again and the board skips the ids it has announced.
        stmt = stmt.where(or_(TicketEvent.id > after, TicketEvent.at >= utcnow() - LATE_COMMIT))
    if upto is not None:
        stmt = stmt.where(TicketEvent.id <= upto)
    else:
        stmt = stmt.where(TicketEvent.at >= local_day_bounds(local_today())[0])
    return db.session.execute(stmt).all()


def new_events(site_id: int, desk_ids: list[int], after: int, upto: int) -> list[dict]:
    """Return the calls, recalls and transfers in (after, upto], oldest first."""
    now = utcnow()
    out = []
    rows = _event_rows(site_id, desk_ids, after, MAX_EVENTS, upto)
    for event_id, kind, at, label, desk in reversed(rows):
        fresh = now - as_utc(at) <= STALE_AFTER
        out.append({"id": event_id, "kind": kind, "number": label, "desk": desk,
                    "at": as_utc(at).isoformat(),
                    "announce": kind in ANNOUNCED and fresh and desk is not None,
                    "text": spoken_text(label, desk) if desk is not None else ""})
    return out


def recent_calls(site_id: int, desk_ids: list[int]) -> list[dict]:
    """Return today's last calls (newest first) for the "Vừa gọi" list."""
    rows = _event_rows(site_id, desk_ids, None, RECENT_CALLS * 3)
    out, seen = [], set()
    for _id, kind, at, label, desk in rows:
        if kind not in ANNOUNCED or (label, desk) in seen:
            continue
        seen.add((label, desk))
        out.append({"number": label, "desk": desk, "time": to_local(at).strftime("%H:%M")})
    return out[:RECENT_CALLS]


def helpers_on_duty(site_id: int) -> list[dict]:
    """Return the first names and hours of today's helpers on the duty rota (none on a holiday)."""
    today = local_today()
    if is_holiday(site_id, today):
        return []
    rows = db.session.execute(
        db.select(DutyShift, User).join(User, User.id == DutyShift.user_id)
        .where(DutyShift.site_id == site_id, DutyShift.weekday == today.weekday(),
               User.active.is_(True))
        .order_by(DutyShift.start, User.full_name)).all()
    return [{"name": user.first_name,
             "hours": f"{shift.start:%H:%M}–{shift.end:%H:%M}"} for shift, user in rows]




def board_state(site: Site, desks: list[Desk], after: int | None) -> dict:
    """Return everything the board shows, plus the events after the cursor."""
    day = local_today()
    desk_ids = [d.id for d in desks]
    last = last_event_id(site.id)  # read first: an event committed meanwhile waits for the next poll
    serving = {t.desk_id: t for t in serving_now(site.id, day)}
    now = utcnow()
    return {
        "site": site.code,
        "name": site.name,
        "now": now.isoformat(),
        "desks": [{"desk": d.number, "name": d.name,
                   "number": serving[d.id].label if d.id in serving else None,
                   "status": serving[d.id].status if d.id in serving else None}
                  for d in desks],
        "recent": recent_calls(site.id, desk_ids),
        "waiting": [{"service": s.code, "prefix": s.prefix, "name": s.name_vi, "count": n}
                    for s, n in waiting_counts(site.id, day)],
        "on_duty": helpers_on_duty(site.id),
        "ticker": site.ticker or "",
        "last_event": last,
        "events": new_events(site.id, desk_ids, after, last) if after is not None else [],
    }
