"""Printing a ticket on a network ESC/POS printer, as an image so Vietnamese prints right.

Printers' text modes use code pages without Vietnamese diacritics, so the ticket is drawn
with Pillow and sent as a raster image (GS v 0), then cut. Raw TCP, port 9100.
"""
import socket
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "vendor" / "dejavu"
DOTS_PER_LINE = {80: 576, 58: 384}  # printable width at 203 dpi


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def render_ticket_image(lines: dict, qr_data: str, paper_mm: int = 80) -> Image.Image:
    """Draw a ticket (centre, number, service, time, people ahead, QR) as a 1-bit image."""
    import qrcode

    width = DOTS_PER_LINE.get(paper_mm, 576)
    scale = width / 576
    canvas = Image.new("L", (width, int(1400 * scale)), 255)
    draw = ImageDraw.Draw(canvas)
    y = 10

    def text(value, size, bold=False, gap=12):
        nonlocal y
        font = _font(max(int(size * scale), 12), bold)
        for line in _wrap(draw, value, font, width - 16):
            box = draw.textbbox((0, 0), line, font=font)
            draw.text(((width - (box[2] - box[0])) / 2, y), line, font=font, fill=0)
            y += box[3] + 6
        y += gap

    text(lines["site"], 24, bold=True)
    text(lines["heading"], 26)
    text(lines["number"], 130, bold=True, gap=20)
    text(lines["service"], 24)
    text(lines["time"], 22)
    text(lines["ahead"], 24, bold=True)
    qr = qrcode.make(qr_data, box_size=max(int(6 * scale), 3), border=2).convert("L")
    canvas.paste(qr, ((width - qr.width) // 2, y))
    y += qr.height + 8
    text(lines["qr_hint"], 20)
    return canvas.crop((0, 0, width, y + 20)).convert("1")


def _wrap(draw, value: str, font, max_width: int) -> list[str]:
    words, lines, current = value.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    return lines + ([current] if current else [])


def escpos_raster(image: Image.Image) -> bytes:
    """Encode a 1-bit image as ESC/POS: initialise, GS v 0 raster, feed and cut."""
    image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, image.height), 1)
    padded.paste(image, (0, 0))
    # In mode "1" a set bit is white; ESC/POS wants set bits black: invert.
    data = bytes(b ^ 0xFF for b in padded.tobytes())
    header = b"\x1d\x76\x30\x00" + bytes([width_bytes & 0xFF, width_bytes >> 8,
                                          image.height & 0xFF, image.height >> 8])
    return b"\x1b\x40" + header + data + b"\n\n\n\n" + b"\x1d\x56\x42\x00"


def send_to_printer(host: str, port: int, payload: bytes, timeout: float = 4.0) -> None:
    """Send bytes to a raw TCP printer; raises OSError when it cannot be reached."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(payload)
