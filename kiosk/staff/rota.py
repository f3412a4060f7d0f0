"""The weekly duty rota and public holidays: administrators edit them; the console and the kiosk
show today's helpers."""
from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.api import abort_json
from kiosk.assists.forms import options
from kiosk.assists.queries import as_id
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES, User
from kiosk.extensions import db
from kiosk.queue.models import PublicHoliday
from kiosk.queue.queries import site_by_code
from kiosk.staff import bp
from kiosk.staff.forms import WEEKDAY_LABELS, HolidayForm, RotaForm
from kiosk.staff.models import DutyShift
from kiosk.staff.queries import holidays_between, on_duty_today, rota, upcoming_holidays
from kiosk.staff.services import RotaError, add_holiday, add_shift, remove_holiday, remove_shift
from kiosk.timeutil import local_today

_UNSUBMITTED = {"formdata": None}  # the other form of the page: shown empty, not read


def site_helpers(site_id: int) -> list[User]:
    """Return the active officers and volunteers of a site."""
    return list(db.session.execute(
        db.select(User).where(User.site_id == site_id, User.active.is_(True),
                              User.role.in_(STAFF_ROLES))
        .order_by(User.full_name, User.username)).scalars())


def _rota_form(**kwargs) -> RotaForm:
    form = RotaForm(**kwargs)
    form.user_id.choices = options((u.id, u.full_name or u.username)
                                   for u in site_helpers(current_user.site_id))
    return form


def _rota_page(form: RotaForm, holiday_form: HolidayForm):
    """Render the rota page: this week's days (holidays marked), upcoming holidays, both forms."""
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    marks = holidays_between(current_user.site_id, monday, monday + timedelta(days=6))
    shifts = rota(current_user.site_id)
    days = [{"label": label, "date": monday + timedelta(days=i),
             "holiday": marks.get(monday + timedelta(days=i)),
             "shifts": [s for s in shifts if s.weekday == i]}
            for i, label in enumerate(WEEKDAY_LABELS)]
    status = 400 if form.errors or holiday_form.errors else 200
    return render_template("staff/rota.html", form=form, holiday_form=holiday_form, days=days,
                           holidays=upcoming_holidays(current_user.site_id, today)), status


@bp.route("/console/rota", methods=["GET", "POST"])
@role_required("admin")
def rota_edit():
    """Show the week's rota and the holidays, and add a shift."""
    form = _rota_form()
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        try:
            add_shift(current_user.site_id, user, form.weekday.data, form.start.data,
                      form.end.data, form.note.data or "")
        except RotaError as exc:
            db.session.rollback()
            form[exc.field].errors = [*form[exc.field].errors, _("Giá trị không hợp lệ.")]
        else:
            db.session.commit()
            flash(_("Đã thêm ca trực."), "success")
            return redirect(url_for("staff.rota_edit"))
    return _rota_page(form, HolidayForm(prefix="holiday", **_UNSUBMITTED))


@bp.route("/console/rota/<int:shift_id>/delete", methods=["POST"])
@role_required("admin")
def rota_delete(shift_id):
    """Take a shift off the rota."""
    shift = db.session.get(DutyShift, shift_id) if as_id(shift_id) else None
    if shift is None or shift.site_id != current_user.site_id:
        abort(404)
    remove_shift(shift)
    db.session.commit()
    flash(_("Đã xóa ca trực."), "success")
    return redirect(url_for("staff.rota_edit"))


@bp.route("/console/rota/holidays", methods=["POST"])
@role_required("admin")
def holiday_add():
    """Add a public holiday of the site: closed for tickets, nobody on duty."""
    holiday_form = HolidayForm(prefix="holiday")
    if holiday_form.checked():
        try:
            add_holiday(current_user.site_id, holiday_form.day.data, holiday_form.name.data)
        except RotaError as exc:
            db.session.rollback()
            messages = {"day": _("Ngày này đã có trong danh sách ngày nghỉ lễ."),
                        "name": _("Vui lòng nhập tên ngày lễ.")}
            holiday_form[exc.field].errors = [messages[exc.field]]
        else:
            db.session.commit()
            flash(_("Đã thêm ngày nghỉ lễ."), "success")
            return redirect(url_for("staff.rota_edit"))
    return _rota_page(_rota_form(**_UNSUBMITTED), holiday_form)


@bp.route("/console/rota/holidays/<int:holiday_id>/delete", methods=["POST"])
@role_required("admin")
def holiday_delete(holiday_id):
    """Take a day off the site's public holidays."""
    holiday = db.session.get(PublicHoliday, holiday_id)
    if holiday is None or holiday.site_id != current_user.site_id:
        abort(404)
    remove_holiday(holiday)
    db.session.commit()
    flash(_("Đã xóa ngày nghỉ lễ."), "success")
    return redirect(url_for("staff.rota_edit"))


@bp.route("/api/v1/duty/today")
def duty_today():
    """Today's helpers' first names at a site (?site=CODE), for the kiosk and the display."""
    site = site_by_code(request.args.get("site", ""))
    if site is None:
        abort_json(404, "not_found", "unknown site", field="site")
    names = []
    for shift in on_duty_today(site.id):
        if shift.user.first_name not in names:
            names.append(shift.user.first_name)
    return jsonify({"site": site.code, "helpers": names})
