"""Administration: reading the audit log of the administrator's site."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk.admin import bp
from kiosk.assists.forms import options
from kiosk.audit.forms import AuditFilterForm
from kiosk.audit.queries import AuditFilter, audit_page, site_people
from kiosk.auth.decorators import role_required
from kiosk.timeutil import local_day_bounds


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100_000))
    except ValueError:
        return 1


def _page_url(page: int) -> str:
    """Return the address of another page with the same filters."""
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return url_for("admin.audit", **args, page=page)


@bp.route("/admin/audit")
@role_required("admin")
def audit():
    """Show the site's audit log, newest first, filtered and paged."""
    form = AuditFilterForm(request.args)
    form.person.choices = options([("", _("Tất cả"))] + [
        (u.id, f"{u.full_name} ({u.username})" if u.full_name else u.username)
        for u in site_people(current_user.site_id)])
    if not form.checked():
        return render_template("admin/audit.html", form=form, rows=[], page=1,
                               prev_url=None, next_url=None), 400
    first, last = form.first.data, form.last.data
    chosen = AuditFilter(site_id=current_user.site_id, user_id=form.person.data,
                         kind=form.kind.data or "",
                         start=local_day_bounds(first)[0] if first else None,
                         end=local_day_bounds(last)[1] if last else None,
                         text=(form.q.data or "").strip())
    page = _page_number()
    rows, more = audit_page(chosen, page)
    return render_template("admin/audit.html", form=form, rows=rows, page=page,
                           prev_url=_page_url(page - 1) if page > 1 else None,
                           next_url=_page_url(page + 1) if more else None)
