"""Field logging on the helper's own phone: home visits, mobile teams, phone help, tallies."""
from flask import flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from kiosk.assists.forms import FIELD_CHANNELS, AssistForm
from kiosk.assists.queries import helper_assist_count, last_entry, service_codes
from kiosk.assists.services import COUNTER_FOR_CATEGORY, AssistError, log_assists
from kiosk.auth.decorators import role_required
from kiosk.auth.models import STAFF_ROLES
from kiosk.extensions import db
from kiosk.platforms.queries import active_platforms
from kiosk.queue.queries import active_services
from kiosk.staff import bp
from kiosk.timeutil import local_today


@bp.route("/field", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def field():
    """Log help given outside the centre; a tally logs N identical assists at once."""
    form = AssistForm(data={"channel": "home", "place": current_user.last_place, "count": 1})
    form.setup(active_services(current_user.site_id), channels=FIELD_CHANNELS,
               platforms=active_platforms(current_user.site_id))
    del form.ticket_id
    del form.visit_of
    status = 200
    if form.validate_on_submit():
        try:
            made = log_assists(current_user, form.to_data(), service_codes(current_user.site_id),
                               count=form.count.data)
        except AssistError as exc:
            db.session.rollback()
            form.show_error(exc)
        else:
            current_user.last_place = (form.place.data or "").strip()
            db.session.commit()
            flash(ngettext("Đã ghi nhận %(num)s lượt hỗ trợ.", "Đã ghi nhận %(num)s lượt hỗ trợ.",
                           len(made)), "success")
            return redirect(url_for("staff.field"))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("staff/field.html", form=form, last=last_entry(current_user.id),
                           today=helper_assist_count(current_user.id, local_today()),
                           counter_for=COUNTER_FOR_CATEGORY), status
