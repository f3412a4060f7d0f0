"""Changing desks and the duty rota. Flush, never commit."""
from datetime import time

from kiosk.audit.services import record_event
from kiosk.extensions import db
from kiosk.queue.models import Desk
from kiosk.staff.models import DutyShift

WEEKDAYS = range(5)  # the rota runs Monday (0) to Friday (4)


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
        raise RotaError("weekday", "Monday to Friday only")
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
