"""The weekly duty rota: administrators edit it; the console and the kiosk show today's helpers."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.api import abort_json
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES, User
from kiosk.extensions import db
from kiosk.queue.queries import site_by_code
from kiosk.staff import bp
from kiosk.assists.forms import options
from kiosk.assists.queries import as_id
from kiosk.staff.forms import WEEKDAY_LABELS, RotaForm
from kiosk.staff.models import DutyShift
from kiosk.staff.queries import on_duty_today, rota
from kiosk.staff.services import RotaError, add_shift, remove_shift


def site_helpers(site_id: int) -> list[User]:
    """Return the active officers and volunteers of a site."""
    return list(db.session.execute(
        db.select(User).where(User.site_id == site_id, User.active.is_(True),
                              User.role.in_(STAFF_ROLES))
        .order_by(User.full_name, User.username)).scalars())


@bp.route("/console/rota", methods=["GET", "POST"])
@role_required("admin")
def rota_edit():
    """Show the week's rota and add a shift."""
    form = RotaForm()
    helpers = site_helpers(current_user.site_id)
    form.user_id.choices = options((u.id, u.full_name or u.username) for u in helpers)
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
    shifts = rota(current_user.site_id)
    days = [(label, [s for s in shifts if s.weekday == i]) for i, label in enumerate(WEEKDAY_LABELS)]
    return render_template("staff/rota.html", form=form, days=days), 400 if form.errors else 200


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
