"""The staff JSON API: desks, calling and moving tickets (staff token or session)."""
import time

from flask import jsonify
from flask_login import current_user

from kiosk.api import abort_json, json_body
from kiosk.api.polls import not_modified, poll_response
from kiosk.assists.queries import as_id
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.extensions import db
from kiosk.queue import services as queue
from kiosk.queue.live import MEMO_SECONDS
from kiosk.queue.models import Desk, Ticket
from kiosk.queue.queries import service_by_code, ticket_json
from kiosk.staff import bp
from kiosk.staff.queries import console_state
from kiosk.staff.services import set_paused

QUEUE_ERROR_STATUS = {"busy": 409, "paused": 409, "not_called": 409, "not_open": 409,
                      "recall_first": 409, "not_waiting": 409, "bad_service": 400,
                      "bad_desk": 400, "no_target": 400}


def own_desk(desk_id: int) -> Desk:
    """Return a desk of the user's site, or 404."""
    desk = db.session.get(Desk, desk_id) if as_id(desk_id) else None
    if desk is None or desk.site_id != current_user.site_id:
        abort_json(404, "not_found", "no such desk at your site")
    return desk


def own_ticket(ticket_id: int) -> Ticket:
    """Return a ticket of the user's site, or 404."""
    ticket = db.session.get(Ticket, ticket_id) if as_id(ticket_id) else None
    if ticket is None or ticket.site_id != current_user.site_id:
        abort_json(404, "not_found", "no such ticket at your site")
    return ticket


def run(action, *args, **kwargs):
    """Run a queue service; turn a QueueError into a JSON 4xx after rolling back."""
    try:
        return action(*args, **kwargs)
    except queue.QueueError as exc:
        db.session.rollback()
        abort_json(QUEUE_ERROR_STATUS.get(exc.code, 409), exc.code, str(exc))


@bp.route("/api/v1/desks")
@role_required(*STAFF_ROLES)
def api_desks():
    """List the desks of the user's site with the services each serves."""
    desks = db.session.execute(
        db.select(Desk).where(Desk.site_id == current_user.site_id, Desk.active.is_(True))
        .order_by(Desk.number)).scalars()
    return jsonify([{"id": d.id, "number": d.number, "name": d.name, "paused": d.paused,
                     "services": [s.code for s in d.services]} for d in desks])


@bp.route("/api/v1/desks/<int:desk_id>/call-next", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_call_next(desk_id):
    """Call the next ticket for a desk: 200 with the ticket, 204 when nobody waits."""
    desk = own_desk(desk_id)
    ticket = run(queue.call_next, desk, current_user.id)
    if ticket is None:
        db.session.rollback()
        return "", 204
    body = {"ticket": ticket_json(ticket)}
    db.session.commit()
    return jsonify(body)


def _ticket_action(ticket_id, action):
    ticket = own_ticket(ticket_id)
    run(action, ticket)
    body = {"ticket": ticket_json(ticket)}
    db.session.commit()
    return jsonify(body)


@bp.route("/api/v1/tickets/<int:ticket_id>/recall", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_recall(ticket_id):
    """Announce a called ticket again."""
    return _ticket_action(ticket_id, queue.recall)


@bp.route("/api/v1/tickets/<int:ticket_id>/no-show", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_no_show(ticket_id):
    """Close a called ticket whose citizen did not come."""
    return _ticket_action(ticket_id, queue.mark_no_show)


@bp.route("/api/v1/tickets/<int:ticket_id>/start", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_start(ticket_id):
    """Mark that serving a called ticket began."""
    return _ticket_action(ticket_id, queue.start_serving)


@bp.route("/api/v1/tickets/<int:ticket_id>/finish", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_finish(ticket_id):
    """Close a ticket as served."""
    return _ticket_action(ticket_id, queue.finish)


@bp.route("/api/v1/tickets/<int:ticket_id>/transfer", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_transfer(ticket_id):
    """Send a ticket to another service ({"service": code}) or desk ({"desk": id})."""
    ticket = own_ticket(ticket_id)
    data = json_body()
    service = desk = None
    if data.get("service") is not None:
        if not isinstance(data["service"], str):
            abort_json(400, "invalid", "service must be a code", field="service")
        service = service_by_code(ticket.site_id, data["service"])
        if service is None:
            abort_json(400, "unknown_service", "unknown service", field="service")
    if data.get("desk") is not None:
        if not isinstance(data["desk"], int) or isinstance(data["desk"], bool):
            abort_json(400, "invalid", "desk must be a desk id", field="desk")
        desk = own_desk(data["desk"])
    run(queue.transfer, ticket, service=service, desk=desk)
    body = {"ticket": ticket_json(ticket)}
    db.session.commit()
    return jsonify(body)


@bp.route("/api/v1/desks/<int:desk_id>/console")
@role_required(*STAFF_ROLES)
def api_console(desk_id):
    """Everything the console shows for a desk: current ticket, waiting, today's counts; 304
    while the site's live version and the minute (the waits are shown in minutes) are unchanged."""
    user = current_user._get_current_object()
    vary = f"{user.id}.{desk_id}.{int(time.time() // 60)}"
    # A desk answers only its own site's staff, so the user's site is the desk's: a 304 needs
    # no desk read (and says nothing to anyone else: it has no body).
    if user.site_id is not None:
        unchanged = not_modified(user.site_id, vary)
        if unchanged is not None:
            return unchanged
    desk = own_desk(desk_id)
    return poll_response(desk.site_id, lambda: console_state(desk, user), vary=vary,
                         memo_seconds=MEMO_SECONDS)  # waiting seconds count from now


@bp.route("/api/v1/desks/<int:desk_id>/pause", methods=["POST"])
@role_required(*STAFF_ROLES)
def api_pause(desk_id):
    """Pause a desk ({"paused": true}) or open it again ({"paused": false})."""
    desk = own_desk(desk_id)
    paused = json_body().get("paused")
    if not isinstance(paused, bool):
        abort_json(400, "invalid", "paused must be true or false", field="paused")
    set_paused(desk, paused)
    body = {"id": desk.id, "paused": desk.paused}
    db.session.commit()
    return jsonify(body)
