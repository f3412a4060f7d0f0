"""Reading the audit log: one site's events, filtered and paged in SQL (index site_id, at)."""
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_

from kiosk.audit.labels import KINDS, action_label
from kiosk.audit.models import AuditEvent
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.timeutil import to_local

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    """Which of a site's events to show; None or "" means no limit."""

    site_id: int
    user_id: int | None = None
    kind: str = ""
    start: datetime | None = None  # UTC, inclusive
    end: datetime | None = None  # UTC, exclusive
    text: str = ""


def site_people(site_id: int) -> list[User]:
    """Return every account of a site (inactive ones too: their old events stay in the log)."""
    return list(db.session.execute(
        db.select(User).where(User.site_id == site_id)
        .order_by(User.full_name, User.username)).scalars())


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: AuditFilter) -> list:
    where = [AuditEvent.site_id == f.site_id]
    if f.user_id is not None:
        where.append(AuditEvent.user_id == f.user_id)
    if f.kind in KINDS:
        _label, exact, prefixes = KINDS[f.kind]
        where.append(or_(AuditEvent.action.in_(exact),
                         *(AuditEvent.action.like(f"{p}.%") for p in prefixes)))
    if f.start is not None:
        where.append(AuditEvent.at >= f.start)
    if f.end is not None:
        where.append(AuditEvent.at < f.end)
    if f.text:
        where.append(AuditEvent.target.ilike(f"%{_like_escaped(f.text)}%", escape="\\"))
    return where


def detail_pairs(detail: str) -> list[tuple[str, str]]:
    """Return an event's JSON detail as (key, value) pairs; text that is not JSON as is."""
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return [("", detail)]
    if not isinstance(data, dict):
        return [("", str(data))]
    return [(key, json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list))
             else str(value)) for key, value in data.items()]


def audit_page(f: AuditFilter, page: int = 1, size: int = PAGE_SIZE) -> tuple[list[dict], bool]:
    """Return one page of events, newest first, as rows for the screen, and whether more follow."""
    rows = db.session.execute(
        db.select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.user_id)
        .where(*_conditions(f))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * size).limit(size + 1)).all()
    out = [{"at": to_local(event.at).strftime("%d/%m/%Y %H:%M:%S"),
            "person": f"{user.full_name} ({user.username})" if user and user.full_name
            else (user.username if user else "—"),
            "action": event.action, "label": action_label(event.action),
            "target": event.target, "detail": detail_pairs(event.detail)}
           for event, user in rows[:size]]
    return out, len(rows) > size
