"""The citizen's screens: choose help, priority, optional contact, the ticket; learn; phone page."""
from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kiosk.api.polls import poll_response
from kiosk.extensions import db
from kiosk.links import phone_url
from kiosk.monitoring.metrics import count_ticket
from kiosk.platforms.queries import active_platforms
from kiosk.queue.hours import is_open, parse_hours
from kiosk.queue.live import token_site
from kiosk.queue.queries import (
    active_services, estimated_wait_minutes, is_holiday, people_ahead, service_by_code,
    ticket_by_token,
)
from kiosk.queue.services import QueueError, issue_ticket
from kiosk.timeutil import local_today
from kiosk.touch import bp
from kiosk.touch.auth import KIOSK_COOKIE, current_kiosk
from kiosk.touch.forms import IssueForm
from kiosk.touch.queries import issued_today
from kiosk.touch.services import (
    complete_pairing, erase_expired_contacts, pairing_cookie_value, record_contact,
)
from kiosk.touch.ticketprint import print_on_network_printer


@bp.after_request
def no_store(response):
    """Kiosk and phone pages are never cached: a back step must not show an old screen."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _kiosk_or_pairing():
    """Return the paired kiosk, or None (the caller shows the pairing page)."""
    device = current_kiosk()
    if device is not None and not device.site.active:
        return None
    return device


def _closed_message(code: str) -> str:
    return {"closed": _("Trung tâm hiện ngoài giờ làm việc. Vui lòng quay lại trong giờ hành chính."),
            "capped": _("Nội dung này đã hết số trong hôm nay. Vui lòng quay lại ngày mai."),
            }.get(code, _("Nội dung này hiện không phục vụ."))


@bp.route("/kiosk")
def home():
    """The citizen's first screen: what help do you need?"""
    device = _kiosk_or_pairing()
    if device is None:
        return render_template("touch/pair.html", error=None), 200
    services = active_services(device.site_id)
    counts = issued_today(device.site_id)
    open_now = (is_open(device.site.opening_hours)
                and not is_holiday(device.site_id, local_today()))
    return render_template("touch/home.html", device=device, services=services, counts=counts,
                           open_now=open_now, hours=parse_hours(device.site.opening_hours))


@bp.route("/kiosk/reset")
def reset():
    """Idle reset: back to the first screen in Vietnamese, nothing of the last citizen kept."""
    response = redirect(url_for("touch.home"))
    response.delete_cookie("lang")
    response.delete_cookie("session")
    return response


@bp.route("/kiosk/pair", methods=["POST"])
def pair():
    """Pair this browser with a kiosk registered by the administrator (one-time code)."""
    device = complete_pairing(request.form.get("code", ""))
    if device is None:
        db.session.rollback()
        return render_template("touch/pair.html",
                               error=_("Mã ghép nối không đúng hoặc đã hết hạn.")), 400
    db.session.commit()
    response = redirect(url_for("touch.home"))
    response.set_cookie(KIOSK_COOKIE, pairing_cookie_value(device), httponly=True, samesite="Lax",
                        max_age=current_app.config["KIOSK_COOKIE_DAYS"] * 86400)
    return response


def _service_or_404(device, code):
    service = service_by_code(device.site_id, code)
    if service is None:
        abort(404)
    return service


@bp.route("/kiosk/s/<code>")
def priority(code):
    """Ask one question: are you in a priority group?"""
    device = _kiosk_or_pairing()
    if device is None:
        return redirect(url_for("touch.home"))
    return render_template("touch/priority.html", device=device,
                           service=_service_or_404(device, code))


@bp.route("/kiosk/s/<code>/p/<int:prio>", methods=["GET", "POST"])
def confirm(code, prio):
    """Offer the optional follow-up contact, then take the number."""
    device = _kiosk_or_pairing()
    if device is None:
        return redirect(url_for("touch.home"))
    service = _service_or_404(device, code)
    form = IssueForm(service=code, priority="1" if prio else "0")
    if request.form.get("skip"):
        # "Lấy số ngay" always skips the optional contact, whatever was typed.
        form.want_contact.data = False
        form.name.data = form.phone.data = ""
    if request.method == "GET":
        return render_template("touch/confirm.html", device=device, service=service, form=form,
                               show_contact=request.args.get("contact") == "1")
    if not form.validate_on_submit():
        return render_template("touch/confirm.html", device=device, service=service, form=form,
                               show_contact=True), 400
    try:
        ticket = issue_ticket(device.site, service, form.is_priority, kiosk_id=device.id,
                              rate_limit=current_app.config["KIOSK_RATE_PER_MINUTE"])
    except QueueError as exc:
        db.session.rollback()
        if exc.code == "rate_limited":
            return render_template("touch/message.html", device=device, message=_(
                "Thao tác quá nhanh, vui lòng thử lại sau ít phút.")), 429
        return render_template("touch/message.html", device=device,
                               message=_closed_message(exc.code)), 409
    if form.want_contact.data:
        record_contact(ticket, form.name.data, form.phone.data, str(form.consent.label.text),
                       device.site.contact_retention_days)
    # Retention is enforced as the kiosk is used (and by `flask purge-contacts` from cron).
    erase_expired_contacts()
    site_code = device.site.code
    db.session.commit()
    count_ticket(site_code)
    printed = print_on_network_printer(device, ticket)
    return redirect(url_for("touch.ticket", token=ticket.token,
                            printed={True: "1", False: "0", None: None}[printed]))


def _own_ticket(token):
    device = _kiosk_or_pairing()
    ticket = ticket_by_token(token)
    if device is None or ticket is None or ticket.kiosk_id != device.id:
        abort(404)
    return device, ticket


@bp.route("/kiosk/ticket/<token>")
def ticket(token):
    """Show the ticket: big number, people ahead, estimated wait, QR code for the phone."""
    device, ticket = _own_ticket(token)
    ahead = people_ahead(ticket)
    return render_template("touch/ticket.html", device=device, ticket=ticket, ahead=ahead,
                           wait=estimated_wait_minutes(ticket, ahead),
                           status_url=phone_url("touch.status", token=ticket.token),
                           printed=request.args.get("printed"))


@bp.route("/kiosk/ticket/<token>/print", methods=["POST"])
def reprint(token):
    """Send the ticket to the kiosk's network printer again."""
    device, ticket = _own_ticket(token)
    printed = print_on_network_printer(device, ticket)
    return redirect(url_for("touch.ticket", token=token,
                            printed={True: "1", False: "0", None: None}[printed]))


@bp.route("/kiosk/learn")
def learn():
    """The free learning platforms, each with a QR code to open on a phone."""
    device = _kiosk_or_pairing()
    if device is None:
        return render_template("touch/pair.html", error=None), 200
    return render_template("touch/learn.html", device=device,
                           platforms=active_platforms(device.site_id))


@bp.route("/t/<token>")
def status(token):
    """Show a ticket's live status on the citizen's phone."""
    ticket = ticket_by_token(token)
    if ticket is None:
        return render_template("touch/expired.html"), 404
    return render_template("touch/status.html", ticket=ticket, platforms=active_platforms(ticket.site_id),
                           state=status_state(ticket))


@bp.route("/t/<token>/status.json")
def status_json(token):
    """The phone page's live data (no personal data); 304 while the site's queue is unchanged."""
    site_id = token_site(db.session, token)
    if site_id is None:
        return jsonify({"error": {"code": "expired", "message": "ticket expired"}}), 404
    return poll_response(site_id, lambda: status_state_of(token))


def status_state_of(token: str) -> dict:
    """What the phone page shows for a token now (expired: the page says so)."""
    ticket = ticket_by_token(token)
    return status_state(ticket) if ticket is not None else {"status": "expired"}


def status_state(ticket) -> dict:
    """What the phone page shows for a ticket now."""
    ahead = people_ahead(ticket)
    desk = ticket.desk.number if ticket.desk and ticket.status in ("called", "serving") else None
    return {"number": ticket.label, "status": ticket.status, "ahead": ahead, "desk": desk,
            "wait": estimated_wait_minutes(ticket, ahead) if ticket.status == "waiting" else None}
