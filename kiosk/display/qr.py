"""QR codes as inline SVG, generated on the server (no online service)."""
import re
from functools import lru_cache

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

_SIZE = re.compile(r' (width|height)="[^"]*"')


@lru_cache(maxsize=64)
def qr_svg(text: str, label: str = "") -> Markup:
    """Return an <svg> QR code of text that scales to its box (CSS sets the size)."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = _SIZE.sub("", image.to_string(encoding="unicode"), count=2)
    title = Markup.escape(label or text)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{title}" class="qr" ', 1)
    return Markup(svg)
