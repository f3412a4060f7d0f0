"""Reading the assist log for the helper's own screens."""
from datetime import date

from sqlalchemy import func

from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.queue.models import Service, Ticket


MAX_ID = 2**31 - 1  # PostgreSQL INTEGER: a larger id would be a driver error, not "not found"


def as_id(value) -> int | None:
    """Return value as a row id, or None when it cannot be one (garbage, bool, out of range)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def service_codes(site_id: int) -> set[str]:
    """Return the codes of a site's active services (the valid categories)."""
    return set(db.session.execute(db.select(Service.code).where(
        Service.site_id == site_id, Service.active.is_(True))).scalars())


def helper_entries(user_id: int, day: date) -> list[Assist]:
    """Return a helper's live (not deleted) assists of a local day, newest first."""
    return list(db.session.execute(
        db.select(Assist).where(Assist.helper_id == user_id, Assist.local_day == day,
                                Assist.deleted_at.is_(None))
        .order_by(Assist.entered_at.desc(), Assist.id.desc())).scalars())


def as_entries(assists: list[Assist]) -> list[tuple[Assist, int]]:
    """Fold a tally's rows into one entry: (its first row, N); others are (assist, 1)."""
    entries, tallies = [], {}
    for assist in assists:
        if assist.tally_id is None:
            entries.append((assist, 1))
        elif assist.tally_id in tallies:
            tallies[assist.tally_id][1] += 1
        else:
            tallies[assist.tally_id] = [assist, 1]
            entries.append(tallies[assist.tally_id])
    return [tuple(entry) for entry in entries]


def tally_size(assist: Assist) -> int:
    """Count the live rows of an assist's tally (1 for an assist of its own)."""
    if assist.tally_id is None:
        return 1
    return db.session.execute(
        db.select(func.count()).select_from(Assist)
        .where(Assist.tally_id == assist.tally_id, Assist.deleted_at.is_(None))).scalar_one()


def last_entry(user_id: int) -> Assist | None:
    """Return the helper's most recently entered live assist."""
    return db.session.execute(
        db.select(Assist).where(Assist.entered_by_id == user_id, Assist.deleted_at.is_(None))
        .order_by(Assist.entered_at.desc(), Assist.id.desc()).limit(1)).scalar_one_or_none()


def assist_by_id(assist_id: int) -> Assist | None:
    """Return an assist by id (None for an impossible id)."""
    assist_id = as_id(assist_id)
    return db.session.get(Assist, assist_id) if assist_id else None


def ticket_assist_count(ticket_id: int) -> int:
    """Count the live assists logged for a ticket."""
    return db.session.execute(
        db.select(func.count()).select_from(Assist)
        .where(Assist.ticket_id == ticket_id, Assist.deleted_at.is_(None))).scalar_one()


def helper_assist_count(user_id: int, day: date) -> int:
    """Count a helper's live assists of a local day."""
    return db.session.execute(
        db.select(func.count()).select_from(Assist)
        .where(Assist.helper_id == user_id, Assist.local_day == day,
               Assist.deleted_at.is_(None))).scalar_one()


def site_assist_count(site_id: int, day: date) -> int:
    """Count a site's live assists of a local day."""
    return db.session.execute(
        db.select(func.count()).select_from(Assist)
        .where(Assist.site_id == site_id, Assist.local_day == day,
               Assist.deleted_at.is_(None))).scalar_one()


def last_unlogged_ticket(user_id: int, day: date) -> Ticket | None:
    """Return the helper's latest finished ticket of the day that has no assist yet."""
    logged = db.select(Assist.ticket_id).where(Assist.ticket_id.is_not(None),
                                               Assist.deleted_at.is_(None))
    return db.session.execute(
        db.select(Ticket).where(Ticket.served_by_id == user_id, Ticket.day == day,
                                Ticket.status == "done", Ticket.id.not_in(logged))
        .order_by(Ticket.ended_at.desc()).limit(1)).scalar_one_or_none()


def service_names(site_id: int) -> dict[str, Service]:
    """Map a site's service codes to services (for labels)."""
    return {s.code: s for s in db.session.execute(
        db.select(Service).where(Service.site_id == site_id)).scalars()}


def ticket_labels(ticket_ids: set[int]) -> dict[int, str]:
    """Map ticket ids to their numbers (A001…)."""
    if not ticket_ids:
        return {}
    return dict(db.session.execute(
        db.select(Ticket.id, Ticket.label).where(Ticket.id.in_(ticket_ids))).all())
