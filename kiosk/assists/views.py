"""The helper's own entries: list, correct, delete; the citizen's rating from the phone."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from kiosk.assists import bp
from kiosk.assists.forms import AssistForm
from kiosk.assists.queries import (
    as_entries, assist_by_id, helper_entries, service_codes, service_names, tally_size,
    ticket_labels,
)
from kiosk.assists.services import (
    COUNTER_FOR_CATEGORY, AssistError, correct_entry, delete_entry, may_change, rate_ticket,
)
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.extensions import db
from kiosk.platforms.queries import active_platforms
from kiosk.queue.queries import active_services, ticket_by_token
from kiosk.timeutil import local_today, parse_day


def own_assist(assist_id: int):
    """Return an assist the user may change: 404 elsewhere, 403 for someone else's."""
    assist = assist_by_id(assist_id)
    if assist is None or assist.site_id != current_user.site_id or assist.deleted_at is not None:
        abort(404)
    if not may_change(current_user, assist):
        abort(403)
    return assist


@bp.route("/assists/mine")
@role_required(*STAFF_ROLES)
def mine():
    """List the helper's own entries of a day (today by default) for checking and correcting."""
    today = local_today()
    try:
        day = parse_day(request.args.get("day", "")) if request.args.get("day") else today
    except ValueError:  # garbage or outside 2000–2100: show today
        day = today
    day = min(day, today)
    assists = helper_entries(current_user.id, day)
    return render_template("assists/mine.html", entries=as_entries(assists), day=day, today=today,
                           prev_day=day - timedelta(days=1),
                           labels=ticket_labels({a.ticket_id for a in assists if a.ticket_id}),
                           services=service_names(current_user.site_id))


@bp.route("/assists/<int:assist_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def edit(assist_id):
    """Correct one of the helper's entries (a tally: all its rows); after its day the change is
    flagged back-dated."""
    assist = own_assist(assist_id)
    form = AssistForm()
    form.setup(active_services(current_user.site_id),
               platforms=active_platforms(current_user.site_id))
    if assist.platform_code and assist.platform_code not in {c.value for c in form.platform_code.choices}:
        # A platform hidden since: the entry may keep the referral it was recorded with.
        form.platform_code.choices.append(SelectChoice(assist.platform_code, assist.platform_code))
    del form.count
    del form.ticket_id
    del form.visit_of
    if assist.ticket_id is not None:  # its time is the ticket's
        del form.duration
        del form.duration_other
    if not form.is_submitted():
        form.fill_from(assist)
    if form.validate_on_submit():
        try:
            correct_entry(current_user, assist, form.to_data(), service_codes(current_user.site_id))
        except AssistError as exc:
            db.session.rollback()
            form.show_error(exc)
        else:
            db.session.commit()
            flash(_("Đã lưu chỉnh sửa."), "success")
            return redirect(url_for("assists.mine", day=assist.local_day.isoformat()))
    status = 400 if form.is_submitted() else 200
    return render_template("assists/edit.html", form=form, assist=assist, size=tally_size(assist),
                           counter_for=COUNTER_FOR_CATEGORY,
                           late=local_today() > assist.local_day), status


@bp.route("/assists/<int:assist_id>/delete", methods=["POST"])
@role_required(*STAFF_ROLES)
def delete(assist_id):
    """Soft-delete one of the helper's entries, a tally as a whole (kept and audited, left out of
    the counts)."""
    assist = own_assist(assist_id)
    rows = delete_entry(current_user, assist)
    db.session.commit()
    if len(rows) > 1:
        flash(_("Đã xóa %(n)s lượt hỗ trợ của lần cộng dồn (vẫn được lưu vết trong nhật ký).",
                n=len(rows)), "success")
    else:
        flash(_("Đã xóa lượt hỗ trợ (vẫn được lưu vết trong nhật ký)."), "success")
    return redirect(url_for("assists.mine", day=assist.local_day.isoformat()))


@bp.route("/t/<token>/rate", methods=["POST"])
def rate_from_phone(token):
    """Store the citizen's face from the phone status page, then go back to it."""
    ticket = ticket_by_token(token)
    if ticket is None:
        abort(404)
    try:
        stored = rate_ticket(ticket, request.form.get("face", ""),
                             request.form.get("scale", type=int))  # the scale the phone showed
    except AssistError:
        db.session.rollback()
        abort(400)
    if stored:
        db.session.commit()
        flash(_("Cảm ơn bạn đã đánh giá!"), "success")
    else:
        db.session.rollback()
        flash(_("Phiếu này đã được đánh giá hoặc chưa phục vụ xong."), "info")
    return redirect(url_for("touch.status", token=token))
