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
from kiosk.queue.models import Site, Ticket
from kiosk.staff import bp
from kiosk.staff.queries import desk_of_site, rating_prompt


def _desk_or_404(desk_id, api=False):
    desk = desk_of_site(desk_id, current_user.site_id)
    if desk is None:
        if api:
            abort_json(404, "not_found", "no such desk at your site")
        abort(404)
    return desk


@bp.app_template_global()
def site_rating_levels(site_id: int) -> tuple[int, list]:
    """Return a site's rating scale and its levels (for the faces on the phone's status page)."""
    scale = db.session.get(Site, site_id).rating_scale
    return scale, reference.rating_levels(scale)


@bp.route("/desk/<int:desk_id>/rate")
@role_required(*STAFF_ROLES)
def rate_tablet(desk_id):
    """Show the desk's rating tablet (the site's scale of faces, waiting for a finished ticket)."""
    desk = _desk_or_404(desk_id)
    scale, levels = site_rating_levels(desk.site_id)
    return render_template("staff/rate.html", desk=desk, scale=scale, levels=levels)


@bp.route("/api/v1/desks/<int:desk_id>/rating")
@role_required(*STAFF_ROLES)
def rating_state(desk_id):
    """Say which just-finished ticket the tablet should ask about (null when none), and the
    site's scale (a tablet showing another one reloads)."""
    desk = _desk_or_404(desk_id, api=True)
    ticket = rating_prompt(desk)
    return jsonify({"ticket": {"id": ticket.id, "number": ticket.label} if ticket else None,
                    "scale": db.session.get(Site, desk.site_id).rating_scale})


@bp.route("/api/v1/desks/<int:desk_id>/rating", methods=["POST"])
@role_required(*STAFF_ROLES)
def rating_submit(desk_id):
    """Store the level a citizen tapped: {"ticket_id", "level", "scale"} (scale: the one shown,
    the site's by default; level 1 = least satisfied … scale = most satisfied)."""
    desk = _desk_or_404(desk_id, api=True)
    data = json_body()
    ticket_id, level = data.get("ticket_id"), data.get("level")
    scale = data.get("scale", db.session.get(Site, desk.site_id).rating_scale)
    if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
        abort_json(400, "invalid", "ticket_id must be a ticket id", field="ticket_id")
    if type(scale) is not int or scale not in reference.RATING_SCALES:
        abort_json(400, "invalid", "scale must be one of 3, 4, 5", field="scale")
    if type(level) is not int or not 1 <= level <= scale:
        abort_json(400, "invalid", f"level must be a whole number from 1 to {scale}", field="level")
    ticket = db.session.get(Ticket, ticket_id) if as_id(ticket_id) else None
    if ticket is None or ticket.desk_id != desk.id:
        abort_json(404, "not_found", "no such ticket at this desk", field="ticket_id")
    try:
        stored = rate_ticket(ticket, level, scale)
    except AssistError as exc:
        db.session.rollback()
        abort_json(400, "invalid", str(exc), field=exc.field)
    if not stored:
        db.session.rollback()
        abort_json(409, "already_rated", "this ticket was already rated or is not finished")
    db.session.commit()
    words = reference.RATING_SCALES[scale][level]
    return jsonify({"ticket": ticket.id, "level": level, "scale": scale, "label": words[0]})
