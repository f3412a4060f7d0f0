"""The counter-facing rating tablet: lights up by itself when its desk finishes a ticket."""
from flask import abort, jsonify, render_template
from flask_login import current_user

from kiosk import reference
from kiosk.api import abort_json, json_body
from kiosk.assists.queries import as_id
from kiosk.assists.services import AssistError, rate_ticket
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.extensions import db
from kiosk.queue.models import Ticket
from kiosk.staff import bp
from kiosk.staff.queries import desk_of_site, rating_prompt


def _desk_or_404(desk_id, api=False):
    desk = desk_of_site(desk_id, current_user.site_id)
    if desk is None:
        if api:
            abort_json(404, "not_found", "no such desk at your site")
        abort(404)
    return desk


@bp.route("/desk/<int:desk_id>/rate")
@role_required(*STAFF_ROLES)
def rate_tablet(desk_id):
    """Show the desk's rating tablet (three faces, waiting for a finished ticket)."""
    desk = _desk_or_404(desk_id)
    return render_template("staff/rate.html", desk=desk, faces=reference.FACES)


@bp.route("/api/v1/desks/<int:desk_id>/rating")
@role_required(*STAFF_ROLES)
def rating_state(desk_id):
    """Say which just-finished ticket the tablet should ask about (null when none)."""
    ticket = rating_prompt(_desk_or_404(desk_id, api=True))
    return jsonify({"ticket": {"id": ticket.id, "number": ticket.label} if ticket else None})


@bp.route("/api/v1/desks/<int:desk_id>/rating", methods=["POST"])
@role_required(*STAFF_ROLES)
def rating_submit(desk_id):
    """Store the citizen's face for a ticket finished at this desk: {"ticket_id", "face"}."""
    desk = _desk_or_404(desk_id, api=True)
    data = json_body()
    ticket_id, face = data.get("ticket_id"), data.get("face")
    if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
        abort_json(400, "invalid", "ticket_id must be a ticket id", field="ticket_id")
    if face not in reference.FACES:
        abort_json(400, "invalid", "face must be one of " + ", ".join(reference.FACES), field="face")
    ticket = db.session.get(Ticket, ticket_id) if as_id(ticket_id) else None
    if ticket is None or ticket.desk_id != desk.id:
        abort_json(404, "not_found", "no such ticket at this desk", field="ticket_id")
    try:
        stored = rate_ticket(ticket, face)
    except AssistError as exc:
        db.session.rollback()
        abort_json(400, "invalid", str(exc), field=exc.field)
    if not stored:
        db.session.rollback()
        abort_json(409, "already_rated", "this ticket was already rated or is not finished")
    db.session.commit()
    return jsonify({"ticket": ticket.id, "satisfaction": ticket.rating})
