"""Changing desks, the duty rota and public holidays. Flush, never commit."""
import logging
from datetime import date, time

from kiosk.audit.services import record_event
from kiosk.extensions import db
from kiosk.queue.models import Desk, PublicHoliday
from kiosk.staff.models import DutyShift

log = logging.getLogger(__name__)
WEEKDAYS = range(6)  # the rota runs Monday (0) to Saturday (5)


class RotaError(Exception):
    """A shift that cannot be added; `field` names the faulty input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def set_paused(desk: Desk, paused: bool) -> Desk:
    """Pause a desk (it calls nobody) or open it again."""
    desk.paused = bool(paused)
    db.session.flush()
    return desk


def add_shift(site_id: int, user, weekday: int, start: time, end: time, note: str = "") -> DutyShift:
    """Put a helper of the site on the rota for a weekday."""
    if user is None or user.site_id != site_id or not user.active:
        raise RotaError("user_id", "unknown helper")
    if weekday not in WEEKDAYS:
        raise RotaError("weekday", "Monday to Saturday only")
    if end <= start:
        raise RotaError("end", "the shift must end after it starts")
    shift = DutyShift(site_id=site_id, user_id=user.id, weekday=weekday, start=start, end=end,
                      note=note.strip())
    db.session.add(shift)
    db.session.flush()
    record_event("rota.added", target=f"shift:{shift.id}", site_id=site_id,
                 helper=user.username, weekday=weekday, start=start, end=end)
    return shift


def remove_shift(shift: DutyShift) -> None:
    """Take a shift off the rota (audited)."""
    record_event("rota.removed", target=f"shift:{shift.id}", site_id=shift.site_id,
                 helper=shift.user.username, weekday=shift.weekday, start=shift.start,
                 end=shift.end)
    db.session.delete(shift)
    db.session.flush()


def add_holiday(site_id: int, day: date, name: str) -> PublicHoliday:
    """Mark a local day as a public holiday of the site: closed, nobody on duty (audited)."""
    name = name.strip()
    if not name:
        raise RotaError("name", "a holiday needs a name")
    if db.session.execute(db.select(PublicHoliday.id).where(
            PublicHoliday.site_id == site_id, PublicHoliday.day == day)).first() is not None:
        raise RotaError("day", "already a holiday")
    holiday = PublicHoliday(site_id=site_id, day=day, name=name)
    db.session.add(holiday)
    db.session.flush()
    record_event("holiday.added", target=f"holiday:{day.isoformat()}", site_id=site_id, name=name)
    log.info("Holiday %s (%s) added at site %s", day, name, site_id)
    return holiday


def remove_holiday(holiday: PublicHoliday) -> None:
    """Take a day off the site's holidays (audited)."""
    record_event("holiday.removed", target=f"holiday:{holiday.day.isoformat()}",
                 site_id=holiday.site_id, name=holiday.name)
    log.info("Holiday %s (%s) removed at site %s", holiday.day, holiday.name, holiday.site_id)
    db.session.delete(holiday)
    db.session.flush()
