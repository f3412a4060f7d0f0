"""Writing audit events."""
import json

from flask import has_request_context
from flask_login import current_user

from kiosk.audit.models import AuditEvent
from kiosk.extensions import db, separate_write


def _event(action: str, target: str, site_id: int | None, user_id: int | None,
           detail: dict) -> AuditEvent:
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    return AuditEvent(action=action, target=target, site_id=site_id, user_id=user_id,
                      detail=json.dumps(detail, ensure_ascii=False, default=str))


def record_event(action: str, target: str = "", site_id: int | None = None,
                 user_id: int | None = None, **detail) -> AuditEvent:
    """Add an audit event for the current user (or the given one) and flush it."""
    event = _event(action, target, site_id, user_id, detail)
    db.session.add(event)
    db.session.flush()
    return event


def record_event_now(action: str, target: str = "", site_id: int | None = None,
                     user_id: int | None = None, **detail) -> None:
    """Write an audit event in its own short write transaction, committed at once.

    For GET views that must leave a trace (exports, viewing contacts): the request's read
    transaction stays a read, and a database that cannot take the write stops the view (503)
    before anything is shown.
    """
    event = _event(action, target, site_id, user_id, detail)
    with separate_write() as session:
        session.add(event)
