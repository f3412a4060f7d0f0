"""The citizen's screens."""
from flask import abort, render_template

from kiosk.queue.queries import ticket_by_token
from kiosk.touch import bp


@bp.route("/t/<token>")
def status(token):
    """Show a ticket's live status on the citizen's phone."""
    ticket = ticket_by_token(token)
    if ticket is None:
        abort(404)
    return render_template("touch/status.html", ticket=ticket)
