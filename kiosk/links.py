"""Addresses that leave the building: the links and QR codes a citizen's phone opens.

A kiosk's browser often reaches the server as http://localhost:8000, an address no phone can
open. PUBLIC_URL (instance/config.py or the environment) is the address phones reach the
server by, over the centre's guest Wi-Fi (http://192.168.1.10:8000) or the internet
(https://hotro.phuong-x.gov.vn); every phone link is built on it. Unset, the request's own
address is used, and the administrator's overview says so.
"""
import ipaddress
from urllib.parse import urlsplit

from flask import current_app, request, url_for

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def phone_url(endpoint: str, **values) -> str:
    """Return the absolute address of a page for a citizen's phone, on PUBLIC_URL when set."""
    base = (current_app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not base or public_url_problem(base) == "invalid":
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    # The path starts with the script root the request came in on; PUBLIC_URL's own path
    # (a proxy's prefix) takes its place.
    root = request.script_root if request else ""
    if root and path.startswith(root):
        path = path[len(root):]
    return base + path


def is_loopback_host(host: str | None) -> bool:
    """Tell whether a host name or address only reaches the machine it is typed on."""
    if not host:
        return True
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def public_url_problem(value: str | None) -> str | None:
    """Say what is wrong with a PUBLIC_URL for phones: "unset", "invalid", "loopback" or None."""
    value = (value or "").strip()
    if not value:
        return "unset"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return "invalid"
    return "loopback" if is_loopback_host(parts.hostname) else None
