"""Tickets printed as images on a network ESC/POS printer (a listener on loopback)."""
import socket
import threading

from PIL import Image

from kiosk.extensions import db
from kiosk.queue.models import Ticket
from kiosk.touch.models import KioskDevice
from kiosk.touch.printing import escpos_raster, render_ticket_image


class Listener:
    """A fake printer: accepts one connection on loopback and keeps the bytes it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            while chunk := conn.recv(65536):
                self.data += chunk

    def close(self):
        self.thread.join(timeout=10)
        self.sock.close()


def _decode_raster(data: bytes):
    start = data.index(b"\x1d\x76\x30\x00")
    width_bytes = data[start + 4] + data[start + 5] * 256
    height = data[start + 6] + data[start + 7] * 256
    pixels = data[start + 8:start + 8 + width_bytes * height]
    return width_bytes, height, pixels


def test_raster_encoding_round_trips():
    image = Image.new("1", (16, 2), 1)
    image.putpixel((0, 0), 0)
    image.putpixel((15, 1), 0)
    data = escpos_raster(image)
    assert data.startswith(b"\x1b\x40") and data.endswith(b"\x1d\x56\x42\x00")
    width_bytes, height, pixels = _decode_raster(data)
    assert (width_bytes, height) == (2, 2)
    assert pixels == bytes([0b10000000, 0, 0, 0b00000001])  # set bit = black dot


def test_ticket_image_has_the_paper_width():
    lines = {"site": "Trung tâm Phục vụ hành chính công", "heading": "SỐ THỨ TỰ", "number": "A012",
             "service": "VNeID: đăng ký, kích hoạt", "time": "08:15 09/03/2026",
             "ahead": "Có 3 người chờ trước bạn", "qr_hint": "Quét mã"}
    assert render_ticket_image(lines, "http://x/t/abc", 80).width == 576
    small = render_ticket_image(lines, "http://x/t/abc", 58)
    assert small.width == 384 and small.mode == "1" and small.height > 400


def _configure_printer(app, device_id, port):
    with app.app_context():
        device = db.session.get(KioskDevice, device_id)
        device.printer_host, device.printer_port = "127.0.0.1", port
        db.session.commit()


def test_issue_prints_on_network_printer(app, client, paired):
    printer = Listener()
    _configure_printer(app, paired, printer.port)
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    printer.close()
    assert "printed=1" in response.headers["Location"]
    width_bytes, height, pixels = _decode_raster(printer.data)
    assert width_bytes == 72 and height > 400 and len(pixels) == 72 * height
    assert any(pixels) and printer.data.endswith(b"\x1d\x56\x42\x00")


def test_print_failure_keeps_the_ticket_with_a_reprint_button(app, client, paired):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    _configure_printer(app, paired, port)
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    assert "printed=0" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Máy in chưa in được phiếu" in page and 'id="reprint"' in page and "A001" in page
    with app.app_context():
        assert db.session.execute(db.select(Ticket)).scalar_one().label == "A001"
    printer = Listener()
    _configure_printer(app, paired, printer.port)
    token = response.headers["Location"].split("/ticket/")[1].split("?")[0]
    again = client.post(f"/kiosk/ticket/{token}/print")
    printer.close()
    assert "printed=1" in again.headers["Location"] and printer.data.startswith(b"\x1b\x40")
