"""Learning platforms as JSON, for screens and integrations."""
from flask import jsonify

from kiosk.platforms import bp
from kiosk.platforms.queries import active_platforms


@bp.route("/api/v1/platforms")
def api_platforms():
    """List the active learning platforms."""
    return jsonify([{"code": p.code, "name": p.name, "url": p.url,
                     "description": p.description_vi} for p in active_platforms()])
