"""QR codes as inline SVG, generated on the server (the LAN may have no internet)."""
import re
from functools import lru_cache

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

_SIZE = re.compile(r' (width|height)="[^"]*"')


@lru_cache(maxsize=256)
def qr_svg(text: str, label: str = "") -> Markup:
    """Return an <svg> QR code of text that scales to its box (CSS sets the size)."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    # Drop the fixed millimetre size so CSS decides; the viewBox keeps it scalable.
    svg = _SIZE.sub("", image.to_string(encoding="unicode"), count=2)
    title = Markup.escape(label or text)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1))
