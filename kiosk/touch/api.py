"""The kiosk's JSON API: issue a ticket."""
from flask import jsonify

from kiosk.api import abort_json, json_body
from kiosk.extensions import db
from kiosk.links import phone_url
from kiosk.monitoring.metrics import count_ticket
from kiosk.queue.queries import people_ahead, service_by_code
from kiosk.queue.services import QueueError, issue_ticket
from kiosk.touch import bp
from kiosk.touch.auth import check_rate, require_kiosk_api

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
    check_rate(device)
    service = service_by_code(device.site_id, code)
    if service is None:
        abort_json(400, "unknown_service", f"unknown service {code[:40]!r}", field="service")
    try:
        ticket = issue_ticket(device.site, service, priority, kiosk_id=device.id)
    except QueueError as exc:
        db.session.rollback()
        abort_json(409, exc.code, CONFLICT_MESSAGES.get(exc.code, str(exc)))
    body = ticket_created_json(ticket)
    db.session.commit()
    count_ticket(device.site.code)
    return jsonify(body), 201
