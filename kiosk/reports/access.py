"""Which sites a user may report on, and the scope of an export or API request."""
from datetime import date

from flask import abort
from flask_login import current_user

from kiosk.api import abort_json
from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports.periods import BASES, Period
from kiosk.reports.queries import Scope
from kiosk.timeutil import FIRST_DAY, LAST_DAY, parse_day

REPORT_ROLES = ("admin", "reporter", "city")


def is_city(user=None) -> bool:
    """Tell whether the user sees every site."""
    return (user or current_user).role == "city"


def visible_sites() -> list[Site]:
    """Return the sites the current user may pick: all for the city, else their own."""
    query = db.select(Site).order_by(Site.code)
    if not is_city():
        query = query.where(Site.id == current_user.site_id)
    return list(db.session.execute(query).scalars())


def site_for_code(code: str | None) -> Site | None:
    """Return the site a request names (None: every site, for the city only).

    Unknown codes answer 400; another site's code answers 403 for anyone but the city.
    """
    if not code:
        if is_city():
            return None
        return db.session.get(Site, current_user.site_id)
    site = db.session.execute(db.select(Site).where(Site.code == code)).scalar_one_or_none()
    if site is None:
        abort_json(400, "unknown_site", f"no site with code {code!r}")
    if not is_city() and site.id != current_user.site_id:
        abort_json(403, "forbidden", "you may report on your own site only")
    return site


def _day(args, name: str) -> date:
    """Parse a YYYY-MM-DD argument (2000–2100) or stop with a 400 JSON error."""
    try:
        return parse_day(args.get(name, ""))
    except ValueError:
        abort_json(400, "bad_date", f"{name} must be a date YYYY-MM-DD from {FIRST_DAY} to "
                   f"{LAST_DAY}", field=name)


def scope_from_args(args) -> tuple[Scope, Site | None]:
    """Build the scope of ?site=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD[&basis=], or stop with 400/403."""
    first, last = _day(args, "from"), _day(args, "to")
    if first > last:
        abort_json(400, "bad_range", "from must not be after to", field="to")
    basis = args.get("basis", "calendar")
    if basis not in BASES:  # the basis only moves the draft's year-to-date start
        abort_json(400, "bad_basis", "basis must be calendar or cutoff", field="basis")
    site = site_for_code(args.get("site", "").strip() or None)
    return Scope(Period(first, last, "custom", basis), site.id if site else None), site


def require_visible(site: Site | None) -> None:
    """Refuse (403) a site the current user may not see."""
    if site is not None and not is_city() and site.id != current_user.site_id:
        abort(403)
