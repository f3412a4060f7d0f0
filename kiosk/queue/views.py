"""The public queue state, for displays, phones and integrations (no personal data)."""
from flask import request

from kiosk.api import abort_json
from kiosk.api.polls import poll_response
from kiosk.extensions import db
from kiosk.queue import bp
from kiosk.queue.live import active_site_id
from kiosk.queue.models import Site
from kiosk.queue.queries import queue_state


@bp.route("/api/v1/queue")
def api_queue():
    """Return who is served at which desk and how many wait, with an ETag (304 when unchanged)."""
    code = request.args.get("site", "")
    site_id = active_site_id(db.session, code) if code else None
    if site_id is None:
        abort_json(404 if code else 400, "unknown_site", "give ?site=CODE of an active site")
    return poll_response(site_id, lambda: queue_state(db.session.get(Site, site_id)))
