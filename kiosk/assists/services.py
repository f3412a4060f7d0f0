"""Writing the assist log: log, tally, correct, soft-delete, rate. Flush, never commit."""
import uuid
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import update

from kiosk import reference
from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.audit.services import record_event
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.queue.models import Desk, Site, Ticket
from kiosk.timeutil import local_today, utcnow

COUNTERS = ("vneid_activated", "dossiers_submitted", "payments_made", "apps_installed")
MAX_COUNTER = 50
MAX_TALLY = 200
MAX_NOTE = 500
MAX_PLACE = 120
MAX_DURATION = 480  # minutes: one working day
DURATION_CHOICES = (10, 15, 30, 45, 60)  # the form's one-tap chips, in minutes
# The result counter of a category: a completed assist of it counts one result by default.
COUNTER_FOR_CATEGORY = {"vneid": "vneid_activated", "dvc-submit": "dossiers_submitted",
                        "payment": "payments_made", "apps": "apps_installed"}
# The fields a correction may change; audit events list the ones that did change.
EDITABLE = ("category", "outcome", "failure_reason", "channel", "place", "age_band", "gender",
            "note", "platform_code", "service_seconds", *COUNTERS)


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
    # Only the counters the helper gave; the others follow result_counters().
    counters: dict[str, int] = field(default_factory=dict)
    platform_code: str | None = None
    # Time spent helping outside a ticket (a ticket's own start → finish wins).
    duration_minutes: int | None = None


def result_counters(category: str, outcome: str, given: dict[str, int | None]) -> dict[str, int]:
    """Return the four result counters: the helper's value where given (0 included), else 1 for
    the category's own counter of a completed assist and 0 for the others."""
    own = COUNTER_FOR_CATEGORY.get(category) if outcome == "done" else None
    return {name: given[name] if given.get(name) is not None else int(name == own)
            for name in COUNTERS}


def check(data: AssistData, service_codes: set[str], platform_codes: set[str] = frozenset()) -> None:
    """Refuse codes outside the reference lists (and the site's platforms), then fill the result
    counters the helper left out; the forms and the API both end here."""
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
        if name not in COUNTERS or (value is not None and not 0 <= value <= MAX_COUNTER):
            raise AssistError(name, f"must be between 0 and {MAX_COUNTER}")
    if data.platform_code is not None and data.platform_code not in platform_codes:
        raise AssistError("platform_code", "unknown learning platform at this site")
    if data.duration_minutes is not None and not 1 <= data.duration_minutes <= MAX_DURATION:
        raise AssistError("duration_minutes", f"must be between 1 and {MAX_DURATION} minutes")
    data.counters = result_counters(data.category, data.outcome, data.counters)
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
    assist.platform_code = data.platform_code
    if assist.ticket_id is None and data.duration_minutes is not None:
        assist.service_seconds = data.duration_minutes * 60
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
    assist.satisfaction, assist.satisfaction_scale = ticket.rating, ticket.rating_scale


def platform_codes(site_id: int) -> set[str]:
    """Return the codes of a site's active learning platforms (the valid referrals)."""
    return set(db.session.execute(db.select(LearningPlatform.code).where(
        LearningPlatform.site_id == site_id, LearningPlatform.active.is_(True))).scalars())


def log_assists(user, data: AssistData, service_codes: set[str], ticket: Ticket | None = None,
                desk: Desk | None = None, count: int = 1, visit_key: str | None = None,
                platforms: set[str] | None = None) -> list[Assist]:
    """Log one assist, or a tally of `count` identical ones (each its own citizen, one group).

    `platforms`: the site's platform codes, when the caller read them before its write lock."""
    check(data, service_codes, platform_codes(user.site_id) if platforms is None else platforms)
    if not 1 <= count <= MAX_TALLY:
        raise AssistError("count", f"must be between 1 and {MAX_TALLY}")
    if ticket is not None:
        if ticket.site_id != user.site_id:
            raise AssistError("ticket_id", "no such ticket at your site")
        if count != 1:
            raise AssistError("count", "a ticket is one citizen: count must be 1")
        visit_key = f"t:{ticket.id}"
    tally_id = None
    if count != 1:
        visit_key, tally_id = None, uuid.uuid4().hex
    # A ticket's desk time is counted once: on its first assist, not again on each further one.
    timed_already = ticket is not None and db.session.execute(db.select(Assist.id).where(
        Assist.ticket_id == ticket.id, Assist.deleted_at.is_(None)).limit(1)).first() is not None
    now = utcnow()
    made = []
    for _ in range(count):
        assist = Assist(site_id=user.site_id, desk_id=desk.id if desk else None,
                        visit_key=visit_key or uuid.uuid4().hex, helper_id=user.id,
                        helper_role=user.role, entered_by_id=user.id, entered_at=now, ended_at=now,
                        tally_id=tally_id, target_groups=[])  # known empty: never read back
        _apply(assist, data)
        if ticket is not None:
            _from_ticket(assist, ticket)
            if timed_already:
                assist.service_seconds = None
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


def entry_rows(assist: Assist) -> list[Assist]:
    """Return the live rows of the entry an assist belongs to: its whole tally, or itself."""
    if assist.tally_id is None:
        return [assist]
    return list(db.session.execute(
        db.select(Assist).where(Assist.tally_id == assist.tally_id, Assist.site_id == assist.site_id,
                                Assist.deleted_at.is_(None))
        .order_by(Assist.id)).scalars())


def _target(assist: Assist) -> str:
    """Name an entry in the audit log: one assist, or a tally group."""
    return f"tally:{assist.tally_id}" if assist.tally_id else f"assist:{assist.id}"


def correct_assist(user, assist: Assist, data: AssistData, service_codes: set[str]) -> Assist:
    """Change one assist row; after its day it is flagged back-dated; the change is audited."""
    return _correct(user, assist, [assist], data, service_codes)


def correct_entry(user, assist: Assist, data: AssistData, service_codes: set[str]) -> Assist:
    """Change the entry an assist belongs to (a tally: all its rows the same way), audited once."""
    return _correct(user, assist, entry_rows(assist), data, service_codes)


def _correct(user, assist: Assist, rows: list[Assist], data: AssistData,
             service_codes: set[str]) -> Assist:
    """Apply a correction to rows of one entry (assist is the one shown and audited)."""
    if not may_change(user, assist):
        raise AssistError("id", "not yours to change")
    # A platform the site has since hidden may stay on the entry it was recorded with.
    check(data, service_codes, platform_codes(assist.site_id) | {assist.platform_code})
    before = {name: getattr(assist, name) for name in EDITABLE}
    before_groups = assist.target_group_codes
    for row in rows:
        _apply(row, data)
    changes = {name: [before[name], getattr(assist, name)] for name in EDITABLE
               if before[name] != getattr(assist, name)}
    if before_groups != assist.target_group_codes:
        changes["target_groups"] = [before_groups, assist.target_group_codes]
    if not changes:
        return assist
    now = utcnow()
    backdated = local_today(now) > assist.local_day
    for row in rows:
        row.edited_at = now
        row.backdated = row.backdated or backdated
    extra = {"count": len(rows)} if len(rows) > 1 else {}
    record_event("assist.corrected", target=_target(assist) if len(rows) > 1 else f"assist:{assist.id}", site_id=assist.site_id,
                 user_id=user.id, changes=changes, backdated=assist.backdated, **extra)
    db.session.flush()
    return assist


def delete_assist(user, assist: Assist) -> list[Assist]:
    """Soft-delete one assist row and audit it; the row stays for the record."""
    return _delete(user, assist, [assist])


def delete_entry(user, assist: Assist) -> list[Assist]:
    """Soft-delete the entry an assist belongs to (a tally: all its rows), audited once."""
    return _delete(user, assist, entry_rows(assist))


def _delete(user, assist: Assist, rows: list[Assist]) -> list[Assist]:
    """Soft-delete rows of one entry and audit it once (with the count for a tally)."""
    if not may_change(user, assist):
        raise AssistError("id", "not yours to delete")
    now = utcnow()
    for row in rows:
        row.deleted_at = now
    group = len(rows) > 1
    extra = {"count": len(rows)} if group else {"visit_key": assist.visit_key}
    record_event("assist.deleted", target=_target(assist) if group else f"assist:{assist.id}", site_id=assist.site_id,
                 user_id=user.id, category=assist.category, local_day=assist.local_day, **extra)
    db.session.flush()
    return rows


def rating_level(value, scale: int) -> int:
    """Return a tapped level (a number, or its digits from a form) checked against its scale."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= scale:
        raise AssistError("level", f"must be a level from 1 to {scale}")
    return value


def rate_ticket(ticket: Ticket, level, scale: int | None = None) -> bool:
    """Store the level a citizen tapped, with the scale shown (the site's by default), on a
    finished ticket and its assists.

    Returns False when the ticket is not finished or was already rated (the first answer stands).
    """
    if scale is None:
        scale = db.session.get(Site, ticket.site_id).rating_scale
    if scale not in reference.RATING_SCALES:
        raise AssistError("scale", "must be one of " + ", ".join(map(str, reference.RATING_SCALES)))
    level = rating_level(level, scale)
    # Compare-and-set: the tablet and the phone may answer at the same instant.
    claimed = db.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status == "done",
                             Ticket.rating.is_(None))
        .values(rating=level, rating_scale=scale, rated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(ticket)
    for assist in db.session.execute(
            db.select(Assist).where(Assist.ticket_id == ticket.id)).scalars():
        assist.satisfaction, assist.satisfaction_scale = level, scale
    db.session.flush()
    current_app.logger.info("Ticket %s rated %s of %s at site %s", ticket.id, level, scale,
                            ticket.site_id)
    return True
