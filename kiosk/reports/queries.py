"""Read-side queries of the reports: every indicator is a GROUP BY in SQL over the assist log.

Counted rows: assists whose local day falls in the period, not soft-deleted; back-dated
rows count like any other (they were entered late, the help still happened).
"""
import math
from dataclasses import dataclass

from sqlalchemy import func

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.queue.models import Site, Ticket
from kiosk.reports.periods import Period
from kiosk.reports.sqlfuncs import local_hour, weekday

UNKNOWN = ""  # the key of rows where an optional field was left blank


@dataclass(frozen=True)
class Scope:
    """What a report counts: one site (by id) or every site (None), over a period."""

    period: Period
    site_id: int | None = None


def assist_filters(scope: Scope) -> list:
    """Return the WHERE clauses selecting the counted assists of a scope."""
    clauses = [Assist.local_day >= scope.period.first, Assist.local_day <= scope.period.last,
               Assist.deleted_at.is_(None)]
    if scope.site_id is not None:
        clauses.append(Assist.site_id == scope.site_id)
    return clauses


def headline(scope: Scope) -> dict:
    """Count assists and citizens helped (distinct visits)."""
    row = db.session.execute(
        db.select(func.count(), func.count(func.distinct(Assist.visit_key)))
        .where(*assist_filters(scope))).one()
    return {"assists": row[0], "citizens": row[1]}


def counts_by(column, scope: Scope, *extra) -> dict:
    """Count assists per value of a column, biggest first; blanks under UNKNOWN."""
    rows = db.session.execute(
        db.select(column, func.count()).where(*assist_filters(scope), *extra)
        .group_by(column).order_by(func.count().desc(), column))
    return {(code if code is not None else UNKNOWN): n for code, n in rows}


def by_target_group(scope: Scope) -> dict:
    """Count assists per ticked target group (an assist may tick several)."""
    rows = db.session.execute(
        db.select(AssistTargetGroup.code, func.count())
        .join(Assist, Assist.id == AssistTargetGroup.assist_id)
        .where(*assist_filters(scope))
        .group_by(AssistTargetGroup.code).order_by(func.count().desc(), AssistTargetGroup.code))
    return dict(rows.all())


def by_helper(scope: Scope) -> list[dict]:
    """Count assists and service hours per helper, busiest first."""
    name = func.coalesce(func.nullif(User.full_name, ""), User.username)
    rows = db.session.execute(
        db.select(Assist.helper_id, name, Assist.helper_role, func.count(),
                  func.coalesce(func.sum(Assist.service_seconds), 0))
        .outerjoin(User, User.id == Assist.helper_id)
        .where(*assist_filters(scope))
        .group_by(Assist.helper_id, name, Assist.helper_role)
        .order_by(func.count().desc(), name))
    return [{"helper_id": hid, "name": who or "", "role": role or UNKNOWN, "assists": n,
             "hours": round(seconds / 3600, 1)} for hid, who, role, n, seconds in rows]


def by_helper_role(scope: Scope) -> list[dict]:
    """Count assists, active helpers and service hours per helper role."""
    rows = db.session.execute(
        db.select(Assist.helper_role, func.count(), func.count(func.distinct(Assist.helper_id)),
                  func.coalesce(func.sum(Assist.service_seconds), 0))
        .where(*assist_filters(scope))
        .group_by(Assist.helper_role).order_by(func.count().desc(), Assist.helper_role))
    return [{"role": role or UNKNOWN, "assists": n, "helpers": helpers,
             "hours": round(seconds / 3600, 1)} for role, n, helpers, seconds in rows]


def helper_totals(scope: Scope) -> dict:
    """Count active helpers and volunteers' service hours (time spent helping, from the log)."""
    volunteer_seconds = func.sum(db.case((Assist.helper_role == "volunteer",
                                          Assist.service_seconds), else_=0))
    row = db.session.execute(
        db.select(func.count(func.distinct(Assist.helper_id)),
                  func.coalesce(volunteer_seconds, 0))
        .where(*assist_filters(scope))).one()
    return {"active_helpers": row[0], "volunteer_hours": round(row[1] / 3600, 1)}


def _percentile(column, scope: Scope, count: int, share: float = 0.9) -> int | None:
    """Return the nearest-rank percentile of a column (a sorted OFFSET, portable to SQLite)."""
    if count == 0:
        return None
    offset = max(math.ceil(share * count) - 1, 0)
    return db.session.execute(
        db.select(column).where(*assist_filters(scope), column.is_not(None))
        .order_by(column).limit(1).offset(offset)).scalar_one()


def _minutes(seconds) -> float | None:
    """Return seconds as minutes with one decimal."""
    return None if seconds is None else round(float(seconds) / 60, 1)


def queue_quality(scope: Scope) -> dict:
    """Return mean and 90th-percentile wait and service minutes, and the no-show rate."""
    row = db.session.execute(
        db.select(func.count(Assist.wait_seconds), func.avg(Assist.wait_seconds),
                  func.count(Assist.service_seconds), func.avg(Assist.service_seconds))
        .where(*assist_filters(scope))).one()
    waits, mean_wait, services, mean_service = row
    result = {
        "wait_count": waits, "wait_mean": _minutes(mean_wait),
        "wait_p90": _minutes(_percentile(Assist.wait_seconds, scope, waits)),
        "service_count": services, "service_mean": _minutes(mean_service),
        "service_p90": _minutes(_percentile(Assist.service_seconds, scope, services)),
    }
    result.update(no_shows(scope))
    return result


def no_shows(scope: Scope) -> dict:
    """Share of tickets issued in the period (cancelled ones aside) that ended as no-shows."""
    clauses = [Ticket.day >= scope.period.first, Ticket.day <= scope.period.last,
               Ticket.status != "cancelled"]
    if scope.site_id is not None:
        clauses.append(Ticket.site_id == scope.site_id)
    total, missed = db.session.execute(
        db.select(func.count(), func.coalesce(func.sum(db.case((Ticket.status == "no_show", 1),
                                                               else_=0)), 0))
        .where(*clauses)).one()
    rate = round(100 * missed / total, 1) if total else None
    return {"tickets": total, "no_shows": int(missed), "no_show_rate": rate}


def demand_heatmap(scope: Scope) -> dict:
    """Count assists per (weekday Mon=0, local hour the help ended)."""
    day, hour = weekday(Assist.local_day), local_hour(Assist.ended_at)
    rows = db.session.execute(
        db.select(day, hour, func.count()).where(*assist_filters(scope)).group_by(day, hour))
    return {(d, h): n for d, h, n in rows}


def satisfaction(scope: Scope) -> dict:
    """Count ratings per level (5 … 1) and the share of rated assists rated 4 or 5."""
    counts = counts_by(Assist.satisfaction, scope, Assist.satisfaction.is_not(None))
    rated = sum(counts.values())
    satisfied = counts.get(5, 0) + counts.get(4, 0)
    return {"levels": {level: counts.get(level, 0) for level in (5, 4, 3, 2, 1)},
            "rated": rated, "satisfied_share": round(100 * satisfied / rated, 1) if rated else None}


def per_site(scope: Scope) -> list[dict]:
    """Count assists and citizens per site, for the city's table (every active site listed)."""
    counted = (db.select(Assist.site_id, func.count().label("assists"),
                         func.count(func.distinct(Assist.visit_key)).label("citizens"))
               .where(*assist_filters(scope)).group_by(Assist.site_id).subquery())
    rows = db.session.execute(
        db.select(Site.code, Site.name, func.coalesce(counted.c.assists, 0),
                  func.coalesce(counted.c.citizens, 0))
        .outerjoin(counted, counted.c.site_id == Site.id)
        .where((Site.active.is_(True)) | (counted.c.assists.is_not(None)))
        .order_by(Site.code))
    return [{"code": code, "name": name, "assists": a, "citizens": c} for code, name, a, c in rows]


def api_summary(scope: Scope) -> dict:
    """Return the API's summary: headline and the four main breakdowns."""
    return {**headline(scope),
            "by_category": counts_by(Assist.category, scope),
            "by_outcome": counts_by(Assist.outcome, scope),
            "by_channel": counts_by(Assist.channel, scope),
            "by_target_group": by_target_group(scope)}


def full_report(scope: Scope, with_sites: bool = False) -> dict:
    """Return every indicator of the report screen, the exports and the draft."""
    ytd = Scope(scope.period.year_to_date(), scope.site_id)
    report = api_summary(scope)
    report.update({
        "ytd": headline(ytd),
        "by_age_band": counts_by(Assist.age_band, scope),
        "by_gender": counts_by(Assist.gender, scope),
        "by_failure_reason": counts_by(Assist.failure_reason, scope,
                                       Assist.failure_reason.is_not(None)),
        "by_platform": counts_by(Assist.platform_code, scope, Assist.platform_code.is_not(None)),
        "by_helper": by_helper(scope),
        "by_helper_role": by_helper_role(scope),
        "counters": counters(scope),
        "quality": queue_quality(scope),
        "heatmap": demand_heatmap(scope),
        "satisfaction": satisfaction(scope),
        **helper_totals(scope),
    })
    if with_sites:
        report["sites"] = per_site(scope)
    return report


def counters(scope: Scope) -> dict:
    """Sum the counters logged with the assists (VNeID activations, dossiers, payments, apps)."""
    row = db.session.execute(
        db.select(*(func.coalesce(func.sum(c), 0) for c in (
            Assist.vneid_activated, Assist.dossiers_submitted, Assist.payments_made,
            Assist.apps_installed)))
        .where(*assist_filters(scope))).one()
    return dict(zip(("vneid_activated", "dossiers_submitted", "payments_made", "apps_installed"),
                    (int(v) for v in row)))
