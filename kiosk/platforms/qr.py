"""QR codes generated on the server as inline SVG (the LAN may have no internet)."""
import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(data: str, label: str = "") -> Markup:
    """Return an inline, scalable SVG QR code for `data` (size it with CSS)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage,
                        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the fixed millimetre size so CSS decides; keep the viewBox for scaling.
    svg = svg.replace('width="', 'data-w="', 1).replace('height="', 'data-h="', 1)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label or data)}" ', 1)
    return Markup(svg)
