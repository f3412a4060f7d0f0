"""POST /api/v1/assists: log an assist (or a tally) from a staff token or session."""
from flask import jsonify
from flask_login import current_user

from kiosk.api import abort_json, json_body
from kiosk.assists import bp
from kiosk.assists.queries import as_id, service_codes
from kiosk.assists.services import (
    COUNTERS, AssistData, AssistError, log_assists, platform_codes,
)
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.extensions import db, reads_first, write_phase
from kiosk.queue.models import Ticket

OPTIONAL_CODES = ("failure_reason", "age_band", "gender")


def _bad(field: str, message: str):
    abort_json(400, "invalid", message, field=field)


def _string(data: dict, name: str, default=None, required=False):
    value = data.get(name, default)
    if value is None and not required:
        return default
    if not isinstance(value, str) or (required and not value):
        _bad(name, f"{name} must be a non-empty string" if required else f"{name} must be a string")
    return value


def _whole(data: dict, name: str, default: int | None) -> int | None:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool):
        _bad(name, f"{name} must be a whole number")
    return value


def parse_assist(data: dict) -> tuple[AssistData, int, int | None]:
    """Read and type-check the body; codes are checked by the service."""
    groups = data.get("target_groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        _bad("target_groups", "target_groups must be a list of codes")
    ticket_id = data.get("ticket_id")
    if ticket_id is not None and (not isinstance(ticket_id, int) or isinstance(ticket_id, bool)):
        _bad("ticket_id", "ticket_id must be a ticket id")
    assist = AssistData(
        category=_string(data, "category", required=True),
        outcome=_string(data, "outcome", "done"), channel=_string(data, "channel", "desk"),
        place=_string(data, "place", ""), note=_string(data, "note", ""),
        target_groups=groups,
        # An absent (or null) counter follows services.result_counters; 0 is kept.
        counters={name: _whole(data, name, None) for name in COUNTERS if name in data},
        platform_code=_string(data, "platform_code") or None,
        duration_minutes=_whole(data, "duration_minutes", None),
        **{name: _string(data, name) or None for name in OPTIONAL_CODES})
    return assist, _whole(data, "count", 1), ticket_id


def assist_json(assist) -> dict:
    """Describe a logged assist (no personal data)."""
    return {"id": assist.id, "visit_key": assist.visit_key, "ticket_id": assist.ticket_id,
            "category": assist.category, "outcome": assist.outcome, "channel": assist.channel,
            "target_groups": assist.target_group_codes, "age_band": assist.age_band,
            "gender": assist.gender, "local_day": assist.local_day.isoformat(),
            "satisfaction": assist.satisfaction, "platform_code": assist.platform_code,
            "service_seconds": assist.service_seconds, "tally_id": assist.tally_id,
            **{name: getattr(assist, name) for name in COUNTERS}}


@bp.route("/api/v1/assists", methods=["POST"])
@role_required(*STAFF_ROLES)
@reads_first
def api_create():
    """Log an assist: 201 with the rows made; 400 naming the faulty field."""
    data, count, ticket_id = parse_assist(json_body())
    ticket = None
    if ticket_id is not None:
        ticket = db.session.get(Ticket, ticket_id) if as_id(ticket_id) else None
        if ticket is None or ticket.site_id != current_user.site_id:
            _bad("ticket_id", "no such ticket at your site")
        if ticket.status not in ("called", "serving", "done"):
            _bad("ticket_id", "the ticket has not been called")
    codes, platforms = service_codes(current_user.site_id), platform_codes(current_user.site_id)
    desk = ticket.desk if ticket else None
    try:
        with write_phase():  # the insert and the summaries' increments hold the write lock
            made = log_assists(current_user, data, codes, ticket=ticket, desk=desk, count=count,
                               platforms=platforms)
    except AssistError as exc:
        _bad(exc.field, str(exc))
    return jsonify({"count": len(made), "assists": [assist_json(a) for a in made]}), 201
