"""Administration screens: the site's settings and kiosk devices."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.admin import bp
from kiosk.admin.forms import KioskForm, SiteSettingsForm
from kiosk.admin.helpers import own, searched, status_for
from kiosk.admin.services import hours_to_text, update_site_settings
from kiosk.audit.services import record_event, record_event_now
from kiosk.auth.decorators import role_required
from kiosk.extensions import db
from kiosk.links import phone_url, public_url_problem
from kiosk.queue.models import Contact, Site
from kiosk.timeutil import as_utc, to_local, utcnow
from kiosk.touch.models import KioskDevice
from kiosk.touch.queries import unexpired_contacts
from kiosk.touch.services import erase_contact, register_kiosk, revoke_kiosk, start_pairing


def _site() -> Site:
    return db.session.get(Site, current_user.site_id)


@bp.route("/admin")
@role_required("admin")
def index():
    """Show the administration home, warning when phones cannot reach the ticket links."""
    return render_template("admin/index.html", site=_site(),
                           public_url_problem=public_url_problem(current_app.config.get("PUBLIC_URL")),
                           phone_example=phone_url("touch.status", token="0")[:-1] + "…")


@bp.route("/admin/site", methods=["GET", "POST"])
@role_required("admin")
def site_settings():
    """Edit the site's queue rules and opening hours."""
    site = _site()
    form = SiteSettingsForm(obj=site)
    if not form.is_submitted():
        form.always_open.data = not (site.opening_hours or "").strip()
        for day, text in hours_to_text(site.opening_hours).items():
            form.hour_fields()[day].data = text
    if form.validate_on_submit():
        update_site_settings(site, form)
        db.session.commit()
        flash(_("Đã lưu cài đặt."), "success")
        return redirect(url_for("admin.site_settings"))
    return render_template("admin/site.html", form=form, site=site), 400 if form.errors else 200


@bp.route("/admin/kiosks", methods=["GET", "POST"])
@role_required("admin")
def kiosks():
    """List kiosk devices and register a new one; show every pending pairing code in a panel."""
    form = KioskForm()
    if form.validate_on_submit():
        device, _raw = register_kiosk(current_user.site_id, form.name.data.strip())
        _apply_printer(device, form)
        start_pairing(device)
        record_event("kiosk.create", target=device.name, site_id=device.site_id)
        db.session.commit()
        flash(_("Đã đăng ký ki-ốt."), "success")
        return redirect(url_for("admin.kiosks"))
    devices = db.session.execute(db.select(KioskDevice).where(
        KioskDevice.site_id == current_user.site_id).order_by(KioskDevice.id)).scalars().all()
    pairings = _pending_pairings(devices)
    devices, q = searched(devices, "name", "printer_host")
    return render_template("admin/kiosks.html", form=form, devices=devices, q=q,
                           pairings=pairings), status_for(form)


def _pending_pairings(devices) -> list[dict]:
    """Return the unexpired pairing codes to show in the panel (name, code, local expiry)."""
    now = utcnow()
    return [{"name": d.name, "code": d.pairing_code,
             "expires": to_local(d.pairing_expires_at).strftime("%H:%M")}
            for d in devices if d.pairing_code and d.revoked_at is None
            and d.pairing_expires_at is not None and as_utc(d.pairing_expires_at) > now]


def _apply_printer(device, form):
    device.paper_width_mm = int(form.paper_width_mm.data)
    device.printer_host = (form.printer_host.data or "").strip()
    device.printer_port = form.printer_port.data or 9100


@bp.route("/admin/kiosks/<int:device_id>/pair", methods=["POST"])
@role_required("admin")
def kiosk_pair(device_id):
    """Make a new one-time pairing code for a kiosk."""
    device = own(KioskDevice, device_id)
    if device.revoked_at is not None:
        abort(409)
    start_pairing(device)
    record_event("kiosk.pairing_code", target=device.name, site_id=device.site_id)
    db.session.commit()
    flash(_("Đã tạo mã ghép nối mới cho %(name)s.", name=device.name), "success")
    return redirect(url_for("admin.kiosks"))


@bp.route("/admin/kiosks/<int:device_id>/revoke", methods=["POST"])
@role_required("admin")
def kiosk_revoke(device_id):
    """Stop a kiosk from issuing tickets."""
    device = own(KioskDevice, device_id)
    revoke_kiosk(device)
    record_event("kiosk.revoke", target=device.name, site_id=device.site_id)
    db.session.commit()
    flash(_("Đã thu hồi ki-ốt %(name)s.", name=device.name), "info")
    return redirect(url_for("admin.kiosks"))


@bp.route("/admin/kiosks/<int:device_id>", methods=["GET", "POST"])
@role_required("admin")
def kiosk_edit(device_id):
    """Change a kiosk's name and printer."""
    device = own(KioskDevice, device_id)
    form = KioskForm(obj=device, paper_width_mm=str(device.paper_width_mm))
    if form.validate_on_submit():
        device.name = form.name.data.strip()
        _apply_printer(device, form)
        record_event("kiosk.update", target=device.name, site_id=device.site_id)
        db.session.commit()
        flash(_("Đã lưu ki-ốt."), "success")
        return redirect(url_for("admin.kiosks"))
    return render_template("admin/kiosk_edit.html", form=form, device=device), \
        400 if form.errors else 200


@bp.route("/admin/contacts")
@role_required("admin", "officer")
def contacts():
    """List the consented follow-up contacts of the site that have not expired (audited)."""
    rows, q = searched(unexpired_contacts(current_user.site_id), "name", "phone",
                       of=lambda row: row[0])
    record_event_now("contacts.view", site_id=current_user.site_id, count=len(rows))
    return render_template("admin/contacts.html", contacts=rows, q=q)


@bp.route("/admin/contacts/<int:contact_id>/erase", methods=["POST"])
@role_required("admin", "officer")
def contact_erase(contact_id):
    """Erase one contact now (the citizen was called back or asked to be forgotten)."""
    contact = own(Contact, contact_id)
    erase_contact(contact)
    record_event("contacts.erase", site_id=current_user.site_id, contact=contact_id)
    db.session.commit()
    flash(_("Đã xóa thông tin liên hệ."), "info")
    return redirect(url_for("admin.contacts"))
