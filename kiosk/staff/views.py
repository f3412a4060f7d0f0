"""The staff console: pick a desk, work the queue, log what was done in a few taps."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.assists.forms import AssistForm, options
from kiosk.assists.queries import as_id, assist_by_id, last_entry, service_codes
from kiosk.assists.services import COUNTER_FOR_CATEGORY, AssistError, log_assists, may_change
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.extensions import db
from kiosk.platforms.qr import is_web_url, qr_svg
from kiosk.platforms.queries import active_platforms
from kiosk.queue.models import Site, Ticket
from kiosk.queue.queries import active_services, ticket_json
from kiosk.reference import service_name
from kiosk.staff import bp
from kiosk.staff.forms import DeskForm
from kiosk.staff.lock import is_locked, lock_seconds, mark_active
from kiosk.staff.queries import desk_of_site, on_duty_today, site_desks

DESK_COOKIE = "console_desk"
LOGGABLE = ("called", "serving", "done")


def current_desk():
    """Return the desk this browser works at (session, else the remembered cookie)."""
    chosen = session.get("desk_id") or request.cookies.get(DESK_COOKIE)
    return desk_of_site(chosen, current_user.site_id) if chosen else None


def console_form(formdata=True) -> AssistForm:
    """The assist form as the console shows it: no tally, no place."""
    form = AssistForm() if formdata else AssistForm(formdata=None)
    form.setup(active_services(current_user.site_id),
               platforms=active_platforms(current_user.site_id))
    del form.count
    del form.place
    return form


def without_duration(form: AssistForm) -> AssistForm:
    """Drop the duration from a ticket's form: its time comes from the ticket."""
    del form.duration
    del form.duration_other
    return form


def referral_panel(assist):
    """Return the platform an assist referred the citizen to, with its QR code (or None)."""
    if assist is None or not assist.platform_code:
        return None
    for platform in active_platforms(assist.site_id):
        if platform.code == assist.platform_code and is_web_url(platform.url):
            return {"name": platform.name, "url": platform.url,
                    "qr": qr_svg(platform.url, platform.name)}
    return None


def resolve_context(ticket_id, visit_of):
    """Return the (ticket, earlier assist) an entry belongs to; (None, None) for a walk-in."""
    visit = ticket = None
    if visit_of:
        visit = assist_by_id(visit_of)
        if visit is None or not may_change(current_user, visit):
            raise AssistError("visit_of", _("Lượt hỗ trợ trước không hợp lệ."))
        ticket_id = visit.ticket_id or ticket_id
    if ticket_id:
        ticket = db.session.get(Ticket, as_id(ticket_id)) if as_id(ticket_id) else None
        if ticket is None or ticket.site_id != current_user.site_id or ticket.status not in LOGGABLE:
            raise AssistError("ticket_id", _("Phiếu không hợp lệ."))
    return ticket, visit


def render_console(form, status=200, ticket=None, visit=None):
    """Render the console page around an assist form."""
    desk = current_desk()
    desk_form = DeskForm(formdata=None, desk=desk.id if desk else None)
    desks = site_desks(current_user.site_id)
    desk_form.desk.choices = options((d.id, d.name) for d in desks)
    last = last_entry(current_user.id)
    added = request.args.get("added", "")
    added_assist = assist_by_id(added) if added else None
    if added_assist is not None and not may_change(current_user, added_assist):
        added_assist = None
    site = db.session.get(Site, current_user.site_id)
    return render_template(
        "staff/console.html", form=form, desk=desk, desk_form=desk_form, desks=desks,
        ticket=ticket, visit=visit, added=added_assist, last=last, site=site,
        referral=referral_panel(added_assist),
        on_duty=on_duty_today(current_user.site_id), locked=is_locked(),
        lock_seconds=lock_seconds(), counter_for=COUNTER_FOR_CATEGORY,
        services=active_services(current_user.site_id),
        current_json=ticket_json(ticket) if ticket else None), status


@bp.route("/console")
@role_required(*STAFF_ROLES)
def console():
    """Show the desk console; ?ticket= or ?visit= opens the assist form for that citizen."""
    if not is_locked():
        mark_active()
    form = console_form(formdata=False)
    try:
        ticket, visit = resolve_context(request.args.get("ticket"), request.args.get("visit"))
    except AssistError as exc:
        flash(str(exc), "error")
        ticket = visit = None
    if ticket is not None:
        without_duration(form)
        form.ticket_id.data = str(ticket.id)
        if visit is None:
            form.category.data = ticket.service.code
    if visit is not None:
        form.visit_of.data = str(visit.id)
    return render_console(form, ticket=ticket, visit=visit)


@bp.route("/console/desk", methods=["POST"])
@role_required(*STAFF_ROLES)
def console_desk():
    """Choose (and remember on this browser) the desk the console works at."""
    form = DeskForm()
    form.desk.choices = options((d.id, d.name) for d in site_desks(current_user.site_id))
    if not form.validate_on_submit():
        flash(_("Quầy không hợp lệ."), "error")
        return redirect(url_for("staff.console"))
    session["desk_id"] = form.desk.data
    response = redirect(url_for("staff.console"))
    response.set_cookie(DESK_COOKIE, str(form.desk.data), max_age=365 * 24 * 3600,
                        samesite="Lax", httponly=True)
    return response


@bp.route("/console/assist", methods=["POST"])
@role_required(*STAFF_ROLES)
def console_assist():
    """Log what was done for the citizen at the desk (a ticket, or a walk-in)."""
    form = console_form()
    ticket = visit = None
    try:
        ticket, visit = resolve_context(form.ticket_id.data, form.visit_of.data)
    except AssistError as exc:
        flash(str(exc), "error")
        return render_console(form, status=400)
    if ticket is not None:
        without_duration(form)
    if form.validate_on_submit():
        try:
            made = log_assists(current_user, form.to_data(), service_codes(current_user.site_id),
                               ticket=ticket, desk=current_desk(),
                               visit_key=visit.visit_key if visit else None)
        except AssistError as exc:
            db.session.rollback()
            form.show_error(exc)
        else:
            db.session.commit()
            what = service_name_for(made[0].category)
            if ticket is not None:
                flash(_("Đã ghi nhận lượt hỗ trợ cho phiếu %(number)s: %(what)s.",
                        number=ticket.label, what=what), "success")
            else:
                flash(_("Đã ghi nhận lượt hỗ trợ: %(what)s.", what=what), "success")
            return redirect(url_for("staff.console", added=made[0].id))
    return render_console(form, status=400, ticket=ticket, visit=visit)


def service_name_for(code: str) -> str:
    """Return the label of a category code at the user's site."""
    for service in active_services(current_user.site_id):
        if service.code == code:
            return service_name(service)
    return code
