"""The kiosk's JSON API: issue a ticket."""
from flask import current_app, jsonify

from kiosk.api import abort_json, json_body
from kiosk.extensions import reads_first, write_phase
from kiosk.links import phone_url
from kiosk.monitoring.metrics import count_ticket
from kiosk.queue.queries import people_ahead, service_by_code
from kiosk.queue.services import QueueError, check_issuable, number_ticket
from kiosk.timeutil import utcnow
from kiosk.touch import bp
from kiosk.touch.auth import require_kiosk_api

CONFLICT_MESSAGES = {
    "closed": "the centre is closed now",
    "capped": "this service reached its daily limit",
    "unavailable": "this service is not available",
}


def ticket_created_json(ticket) -> dict:
    """The public description of a newly issued ticket."""
    return {
        "id": ticket.id,
        "number": ticket.label,
        "service": ticket.service.code,
        "priority": ticket.priority,
        "ahead": people_ahead(ticket),
        "status_url": phone_url("touch.status", token=ticket.token),
        "issued_at": ticket.issued_at.isoformat(),
    }


@bp.route("/api/v1/tickets", methods=["POST"])
@reads_first
def api_issue_ticket():
    """Issue a ticket for a registered kiosk: {"service": code, "priority": bool}."""
    device = require_kiosk_api()
    data = json_body()
    code = data.get("service")
    priority = data.get("priority", False)
    if not isinstance(code, str) or not code:
        abort_json(400, "invalid", "service is required", field="service")
    if not isinstance(priority, bool):
        abort_json(400, "invalid", "priority must be true or false", field="priority")
    service = service_by_code(device.site_id, code)
    if service is None:
        abort_json(400, "unknown_service", f"unknown service {code[:40]!r}", field="service")
    site, now = device.site, utcnow()
    try:
        day = check_issuable(site, service, now)  # reads, before the write lock
        with write_phase():  # the rate count and the numbering alone hold it
            ticket = number_ticket(site, service, day, priority, kiosk_id=device.id, now=now,
                                   rate_limit=current_app.config["KIOSK_RATE_PER_MINUTE"])
    except QueueError as exc:
        if exc.code == "rate_limited":
            abort_json(429, "rate_limited", "too many tickets from this kiosk; wait a minute")
        abort_json(409, exc.code, CONFLICT_MESSAGES.get(exc.code, str(exc)))
    count_ticket(site.code)
    return jsonify(ticket_created_json(ticket)), 201
