"""QR codes as inline SVG, generated on the server (the LAN may have no internet)."""
import re
from functools import lru_cache
from urllib.parse import urlsplit

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

_SIZE = re.compile(r' (width|height)="[^"]*"')
MAX_URL_LENGTH = 300


def is_web_url(url: str) -> bool:
    """Tell whether url is an absolute http(s) address with a host, fit to become a QR code."""
    if not url or len(url) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "\\" not in url


@lru_cache(maxsize=256)
def qr_svg(text: str, label: str = "") -> Markup:
    """Return an <svg> QR code of text that scales to its box (CSS sets the size)."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    # Drop the fixed millimetre size so CSS decides; the viewBox keeps it scalable.
    svg = _SIZE.sub("", image.to_string(encoding="unicode"), count=2)
    title = Markup.escape(label or text)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1))
