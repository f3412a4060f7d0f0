"""Writing audit events."""
import json

from flask import has_request_context
from flask_login import current_user

from kiosk.audit.models import AuditEvent
from kiosk.extensions import db


def record_event(action: str, target: str = "", site_id: int | None = None,
                 user_id: int | None = None, **detail) -> AuditEvent:
    """Add an audit event for the current user (or the given one) and flush it."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(action=action, target=target, site_id=site_id, user_id=user_id,
                       detail=json.dumps(detail, ensure_ascii=False, default=str))
    db.session.add(event)
    db.session.flush()
    return event
