"""Behind nginx: believe the forwarded headers, but only when they come from the proxy.

werkzeug's ProxyFix takes the last PROXY_COUNT addresses of X-Forwarded-For as the client's;
nginx appends the real peer to whatever a client sent, so a forged header changes nothing.
A request that reaches gunicorn directly (a city's app server on the LAN, port 8000) from an
address not in FORWARDED_ALLOW_IPS keeps its own address: it cannot pose as someone else to
the sign-in throttle or to /metrics.
"""
import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def parse_networks(value: str) -> list:
    """Parse "127.0.0.1, 10.0.0.0/24" (gunicorn's FORWARDED_ALLOW_IPS); "*" means any."""
    if value.strip() == "*":
        return [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
    return [ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()]


class TrustedProxyFix:
    """ProxyFix applied to requests whose peer is one of the trusted proxies."""

    def __init__(self, app, count: int, trusted: str):
        self.app = app
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count)
        self.trusted = parse_networks(trusted)

    def is_trusted(self, peer: str | None) -> bool:
        """Tell whether the connection comes from a trusted proxy."""
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    def __call__(self, environ, start_response):
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
