"""Writing the assist log: log, tally, correct, soft-delete, rate. Flush, never commit."""
import uuid
from dataclasses import dataclass, field

from sqlalchemy import update

from kiosk import reference
from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.audit.services import record_event
from kiosk.extensions import db
from kiosk.queue.models import Desk, Ticket
from kiosk.timeutil import local_today, utcnow

COUNTERS = ("vneid_activated", "dossiers_submitted", "payments_made", "apps_installed")
MAX_COUNTER = 50
MAX_TALLY = 200
MAX_NOTE = 500
MAX_PLACE = 120
# The fields a correction may change; audit events list the ones that did change.
EDITABLE = ("category", "outcome", "failure_reason", "channel", "place", "age_band", "gender",
            "note", *COUNTERS)


class AssistError(Exception):
    """An assist that cannot be logged or changed; `field` names the faulty input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass
class AssistData:
    """The helper's answers for one assist (validated by the form or the API)."""

    category: str
    outcome: str = "done"
    channel: str = "desk"
    failure_reason: str | None = None
    place: str = ""
    target_groups: list[str] = field(default_factory=list)
    age_band: str | None = None
    gender: str | None = None
    note: str = ""
    counters: dict[str, int] = field(default_factory=dict)


def check(data: AssistData, service_codes: set[str]) -> None:
    """Refuse codes outside the reference lists; the forms and the API both end here."""
    if data.category not in service_codes:
        raise AssistError("category", "unknown category")
    if data.outcome not in reference.OUTCOMES:
        raise AssistError("outcome", "unknown outcome")
    if data.channel not in reference.CHANNELS:
        raise AssistError("channel", "unknown channel")
    if data.failure_reason is not None and data.failure_reason not in reference.FAILURE_REASONS:
        raise AssistError("failure_reason", "unknown failure reason")
    if data.outcome == "failed" and data.failure_reason is None:
        raise AssistError("failure_reason", "required when the outcome is failed")
    if data.outcome != "failed":
        data.failure_reason = None
    bad = [c for c in data.target_groups if c not in reference.TARGET_GROUPS]
    if bad:
        raise AssistError("target_groups", "unknown target group")
    if data.age_band is not None and data.age_band not in reference.AGE_BANDS:
        raise AssistError("age_band", "unknown age band")
    if data.gender is not None and data.gender not in reference.GENDERS:
        raise AssistError("gender", "unknown gender")
    for name, value in data.counters.items():
        if name not in COUNTERS or not 0 <= value <= MAX_COUNTER:
            raise AssistError(name, f"must be between 0 and {MAX_COUNTER}")
    if len(data.note) > MAX_NOTE:
        raise AssistError("note", f"at most {MAX_NOTE} characters")
    if len(data.place) > MAX_PLACE:
        raise AssistError("place", f"at most {MAX_PLACE} characters")


def _apply(assist: Assist, data: AssistData) -> None:
    """Copy the helper's answers onto an assist row."""
    assist.category = data.category
    assist.outcome = data.outcome
    assist.failure_reason = data.failure_reason
    assist.channel = data.channel
    assist.place = data.place.strip()
    assist.age_band = data.age_band
    assist.gender = data.gender
    assist.note = data.note.strip()
    for name in COUNTERS:
        setattr(assist, name, int(data.counters.get(name) or 0))
    wanted = sorted(set(data.target_groups))
    if assist.target_group_codes != wanted:
        assist.target_groups = [AssistTargetGroup(code=c) for c in wanted]


def _seconds(later, earlier) -> int | None:
    if later is None or earlier is None:
        return None
    return max(0, int((later - earlier).total_seconds()))


def _from_ticket(assist: Assist, ticket: Ticket) -> None:
    """Copy a ticket's desk, timestamps, waiting and service time and rating onto an assist."""
    assist.ticket_id = ticket.id
    assist.desk_id = ticket.desk_id
    assist.issued_at, assist.called_at = ticket.issued_at, ticket.called_at
    assist.started_at = ticket.started_at
    assist.ended_at = ticket.ended_at or utcnow()
    assist.wait_seconds = _seconds(ticket.called_at, ticket.issued_at)
    assist.service_seconds = _seconds(ticket.ended_at, ticket.started_at or ticket.called_at)
    assist.satisfaction = ticket.rating


def log_assists(user, data: AssistData, service_codes: set[str], ticket: Ticket | None = None,
                desk: Desk | None = None, count: int = 1, visit_key: str | None = None) -> list[Assist]:
    """Log one assist, or a tally of `count` identical ones (each its own citizen)."""
    check(data, service_codes)
    if not 1 <= count <= MAX_TALLY:
        raise AssistError("count", f"must be between 1 and {MAX_TALLY}")
    if ticket is not None:
        if ticket.site_id != user.site_id:
            raise AssistError("ticket_id", "no such ticket at your site")
        if count != 1:
            raise AssistError("count", "a ticket is one citizen: count must be 1")
        visit_key = f"t:{ticket.id}"
    if count != 1:
        visit_key = None
    now = utcnow()
    made = []
    for _ in range(count):
        assist = Assist(site_id=user.site_id, desk_id=desk.id if desk else None,
                        visit_key=visit_key or uuid.uuid4().hex, helper_id=user.id,
                        helper_role=user.role, entered_by_id=user.id, entered_at=now, ended_at=now)
        _apply(assist, data)
        if ticket is not None:
            _from_ticket(assist, ticket)
        assist.local_day = local_today(assist.ended_at)
        db.session.add(assist)
        made.append(assist)
    db.session.flush()
    return made


def may_change(user, assist: Assist) -> bool:
    """Tell whether a user may correct an assist: its helper, or an admin of its site."""
    if assist.site_id != user.site_id or assist.deleted_at is not None:
        return False
    return assist.helper_id == user.id or user.role == "admin"


def correct_assist(user, assist: Assist, data: AssistData, service_codes: set[str]) -> Assist:
    """Change an assist; after its day it is flagged back-dated; the change is audited."""
    if not may_change(user, assist):
        raise AssistError("id", "not yours to change")
    check(data, service_codes)
    before = {name: getattr(assist, name) for name in EDITABLE}
    before_groups = assist.target_group_codes
    _apply(assist, data)
    changes = {name: [before[name], getattr(assist, name)] for name in EDITABLE
               if before[name] != getattr(assist, name)}
    if before_groups != assist.target_group_codes:
        changes["target_groups"] = [before_groups, assist.target_group_codes]
    if not changes:
        return assist
    now = utcnow()
    assist.edited_at = now
    if local_today(now) > assist.local_day:
        assist.backdated = True
    record_event("assist.corrected", target=f"assist:{assist.id}", site_id=assist.site_id,
                 user_id=user.id, changes=changes, backdated=assist.backdated)
    db.session.flush()
    return assist


def delete_assist(user, assist: Assist) -> Assist:
    """Soft-delete an assist and audit it; the row stays for the record."""
    if not may_change(user, assist):
        raise AssistError("id", "not yours to delete")
    assist.deleted_at = utcnow()
    record_event("assist.deleted", target=f"assist:{assist.id}", site_id=assist.site_id,
                 user_id=user.id, category=assist.category, local_day=assist.local_day,
                 visit_key=assist.visit_key)
    db.session.flush()
    return assist


def rate_ticket(ticket: Ticket, face: str) -> bool:
    """Store a citizen's rating (3 faces onto the 5-level scale) on a finished ticket and its assists.

    Returns False when the ticket is not finished or was already rated (the first answer stands).
    """
    score = reference.FACES.get(face)
    if score is None:
        raise AssistError("face", "unknown face")
    # Compare-and-set: the tablet and the phone may answer at the same instant.
    claimed = db.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status == "done",
                             Ticket.rating.is_(None))
        .values(rating=score, rated_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(ticket)
    for assist in db.session.execute(
            db.select(Assist).where(Assist.ticket_id == ticket.id)).scalars():
        assist.satisfaction = score
    db.session.flush()
    return True
