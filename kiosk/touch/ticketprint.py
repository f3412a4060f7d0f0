"""Printing an issued ticket on the kiosk's optional network printer."""
from flask import current_app
from flask_babel import gettext as _
from kiosk.links import phone_url

from kiosk.queue.queries import people_ahead
from kiosk.reference import service_name
from kiosk.timeutil import to_local
from kiosk.touch.printing import escpos_raster, render_ticket_image, send_to_printer


def ticket_lines(ticket) -> dict:
    """The words printed on a ticket, in the current language."""
    ahead = people_ahead(ticket)
    return {
        "site": ticket.service.site.name,
        "heading": _("SỐ THỨ TỰ"),
        "number": ticket.label,
        "service": service_name(ticket.service),
        "time": to_local(ticket.issued_at).strftime("%H:%M  %d/%m/%Y"),
        "ahead": _("Có %(n)d người chờ trước bạn", n=ahead),
        "qr_hint": _("Quét mã để theo dõi lượt trên điện thoại"),
    }


def print_on_network_printer(device, ticket) -> bool | None:
    """Print on the kiosk's ESC/POS printer: True if sent, False if it failed, None if none."""
    if not device.printer_host:
        return None
    status_url = phone_url("touch.status", token=ticket.token)
    image = render_ticket_image(ticket_lines(ticket), status_url, device.paper_width_mm)
    try:
        send_to_printer(device.printer_host, device.printer_port, escpos_raster(image))
    except OSError as exc:
        current_app.logger.warning("kiosk %s printer %s:%s failed: %s", device.id,
                                   device.printer_host, device.printer_port, exc)
        return False
    return True
