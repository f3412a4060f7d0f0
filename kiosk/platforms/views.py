"""Learning platforms as JSON, for screens and integrations."""
from flask import jsonify, request

from kiosk.api import abort_json
from kiosk.platforms import bp
from kiosk.platforms.queries import active_platforms
from kiosk.queue.queries import site_by_code


@bp.route("/api/v1/platforms")
def api_platforms():
    """List a site's active learning platforms (?site=CODE)."""
    site = site_by_code(request.args.get("site", ""))
    if site is None:
        abort_json(404, "not_found", "unknown site", field="site")
    return jsonify([{"code": p.code, "name": p.name, "url": p.url,
                     "description": p.description_vi} for p in active_platforms(site.id)])
