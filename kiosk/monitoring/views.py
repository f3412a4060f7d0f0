"""GET /metrics for Prometheus: from the LAN, or anywhere with the metrics token."""
import hmac
import ipaddress

from flask import abort, current_app, request

from kiosk.auth.decorators import bearer_token
from kiosk.monitoring import bp
from kiosk.monitoring.metrics import exposition


def may_read_metrics() -> bool:
    """Tell whether the client is on an allowed network or shows METRICS_TOKEN."""
    token = current_app.config.get("METRICS_TOKEN")
    offered = bearer_token()
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        client = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    networks = current_app.config["METRICS_ALLOW_NETWORKS"]
    if isinstance(networks, str):
        networks = networks.split(",")
    return any(client in ipaddress.ip_network(net.strip(), strict=False) for net in networks if net.strip())


@bp.route("/metrics")
def metrics():
    """Serve the Prometheus metrics to the LAN or a token holder; 404 to anyone else."""
    if not may_read_metrics():
        abort(404)  # nothing to see from the internet, not even that the page exists
    body, content_type = exposition()
    return body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}
