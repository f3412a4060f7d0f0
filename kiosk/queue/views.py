"""The public queue state, for displays, phones and integrations (no personal data)."""
import hashlib
import json

from flask import Response, request

from kiosk.api import abort_json
from kiosk.queue import bp
from kiosk.queue.queries import queue_state, site_by_code


@bp.route("/api/v1/queue")
def api_queue():
    """Return who is served at which desk and how many wait, with an ETag (304 when unchanged)."""
    code = request.args.get("site", "")
    site = site_by_code(code) if code else None
    if site is None:
        abort_json(404 if code else 400, "unknown_site", "give ?site=CODE of an active site")
    state = queue_state(site)
    body = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    etag = hashlib.sha1(body.encode()).hexdigest()
    if etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": "no-cache"})
    return Response(body, mimetype="application/json",
                    headers={"ETag": f'"{etag}"', "Cache-Control": "no-cache"})
