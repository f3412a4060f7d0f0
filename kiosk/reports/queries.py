"""Read-side queries of the reports: every indicator is a GROUP BY in SQL over the assist log.

Counted rows: assists whose local day falls in the period, not soft-deleted; back-dated
rows count like any other (they were entered late, the help still happened). Whole months
are read from the monthly summary, whole half-months (1st–14th, 15th–end: the cut-off basis is
made of them) from the half-month summary (kiosk/reports/summary.py, both kept equal to the
log), the other days from the log itself with the same SQL; the 90th percentiles are read
from the log, to the second, within the minute the summary points at.
"""
import math
from dataclasses import dataclass

from sqlalchemy import func, union_all

from kiosk import reference
from kiosk.assists.models import Assist
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.queue.models import Site, Ticket
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.periods import Period
from kiosk.reports.summary import COUNTERS, OPTIONAL_DIMS, TEXT_DIMS, cover, live, raw_facts

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


def _sources(scope: Scope, dims=None):
    """Return the summary rows of a scope: whole months from ReportMonth, whole halves of the
    other months from ReportHalf, the remaining days from the log."""
    sites = None if scope.site_id is None else [scope.site_id]
    months, halves, days = cover(scope.period.first, scope.period.last)
    parts = []
    for table, span, starts in ((ReportMonth, ReportMonth.month, months),
                                (ReportHalf, ReportHalf.half, halves)):
        if not starts:
            continue
        # Whole months are consecutive: a range lets the primary key's index seek them.
        rows = db.select(table).where(span >= starts[0], span <= starts[-1])
        if table is ReportHalf:
            rows = rows.where(span.in_(starts))
        if sites:
            rows = rows.where(table.site_id == scope.site_id)
        if dims is not None:
            rows = rows.where(table.dim.in_(dims))
        parts.append(rows)
    for first, last in days:
        parts += raw_facts(live(first, last, sites), dims).selects
    return _union(parts)


def _union(parts: list):
    """Return the parts as one subquery (a flat UNION ALL: SQLite refuses nested ones)."""
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def facts(scope: Scope, dims=None) -> dict:
    """Return {dim: [(code, number, assists, amount)]}, biggest first, then by code."""
    rows = _sources(scope, dims).c
    total = func.sum(rows.assists)
    result = {}
    for dim, code, number, n, amount in db.session.execute(
            db.select(rows.dim, rows.code, rows.number, total, func.sum(rows.amount))
            .group_by(rows.dim, rows.code, rows.number)
            .order_by(rows.dim, total.desc(), rows.code, rows.number)):
        result.setdefault(dim, []).append((code, number, int(n), int(amount)))
    return result


def headline(scope: Scope, found: dict | None = None) -> dict:
    """Count assists and citizens helped (distinct visits: a visit lies in one site and day)."""
    rows = (found if found is not None else facts(scope, ["all"])).get("all", [])
    return {"assists": rows[0][2] if rows else 0, "citizens": rows[0][3] if rows else 0}


def _counts(found: dict, dim: str) -> dict:
    """Return {code: assists} of a dimension, biggest first."""
    return {code: n for code, _number, n, _amount in found.get(dim, [])}


def by_helper(found: dict) -> list[dict]:
    """Count assists and service hours per helper, busiest first."""
    rows = found.get("helper", [])
    ids = {number for _role, number, _n, _s in rows if number}
    names = dict(db.session.execute(
        db.select(User.id, func.coalesce(func.nullif(User.full_name, ""), User.username))
        .where(User.id.in_(ids))).all()) if ids else {}
    out = [{"helper_id": hid or None, "name": names.get(hid) or "", "role": role or UNKNOWN,
            "assists": n, "hours": round(seconds / 3600, 1)} for role, hid, n, seconds in rows]
    return sorted(out, key=lambda r: (-r["assists"], r["name"]))


def by_helper_role(found: dict) -> list[dict]:
    """Count assists, active helpers and service hours per helper role."""
    roles = {}
    for role, hid, n, seconds in found.get("helper", []):
        entry = roles.setdefault(role, [0, set(), 0])
        entry[0] += n
        entry[2] += seconds
        if hid:
            entry[1].add(hid)
    return [{"role": role or UNKNOWN, "assists": n, "helpers": len(ids),
             "hours": round(seconds / 3600, 1)}
            for role, (n, ids, seconds) in sorted(roles.items(), key=lambda i: (-i[1][0], i[0]))]


def helper_totals(found: dict) -> dict:
    """Count active helpers and volunteers' service hours (time spent helping, from the log)."""
    rows = found.get("helper", [])
    seconds = sum(s for role, _hid, _n, s in rows if role == "volunteer")
    return {"active_helpers": len({hid for _r, hid, _n, _s in rows if hid}),
            "volunteer_hours": round(seconds / 3600, 1)}


def _percentile(column, scope: Scope, buckets: list, count: int, share: float = 0.9):
    """Return the nearest-rank percentile: the minute from the summary, the second from the log."""
    if count == 0:
        return None
    rank, below = max(math.ceil(share * count) - 1, 0), 0
    for minute, n in sorted(buckets):
        if below + n > rank:
            break
        below += n
    # SQL integer division truncates towards zero: minute 0 holds -59…59.
    low = minute * 60 if minute > 0 else minute * 60 - 59
    high = minute * 60 + 59 if minute >= 0 else minute * 60
    return db.session.execute(
        db.select(column).where(*assist_filters(scope), column >= low, column <= high)
        .order_by(column).limit(1).offset(rank - below)).scalar_one()


def _minutes(seconds) -> float | None:
    """Return seconds as minutes with one decimal."""
    return None if seconds is None else round(float(seconds) / 60, 1)


def queue_quality(scope: Scope, found: dict) -> dict:
    """Return mean and 90th-percentile wait and service minutes, and the no-show rate."""
    result = {}
    for name, column in (("wait", Assist.wait_seconds), ("service", Assist.service_seconds)):
        rows = found.get(name, [])
        count, total = sum(r[2] for r in rows), sum(r[3] for r in rows)
        buckets = [(number, n) for _code, number, n, _amount in rows]
        result.update({f"{name}_count": count,
                       f"{name}_mean": _minutes(total / count) if count else None,
                       f"{name}_p90": _minutes(_percentile(column, scope, buckets, count))})
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


def _share(part: int, whole: int) -> float | None:
    """Return part/whole in percent with one decimal, None when nothing was rated."""
    return round(100 * part / whole, 1) if whole else None


def satisfaction(found: dict) -> dict:
    """Count ratings per scale and level (most satisfied first) and the share satisfied: the
    ratings at their scale's top level(s) only (reference.SATISFIED_LEVELS), per scale and in
    all."""
    counts = {}
    for code, level, n, _amount in found.get("satisfaction", []):
        counts.setdefault(int(code), {})[level] = n
    scales = []
    for scale in sorted(counts):
        levels = {level: counts[scale].get(level, 0) for level in reference.RATING_SCALES[scale]}
        rated = sum(levels.values())
        satisfied = sum(levels[level] for level in reference.SATISFIED_LEVELS[scale])
        scales.append({"scale": scale, "levels": levels, "rated": rated, "satisfied": satisfied,
                       "satisfied_share": _share(satisfied, rated)})
    rated, satisfied = sum(s["rated"] for s in scales), sum(s["satisfied"] for s in scales)
    return {"scales": scales, "rated": rated, "satisfied": satisfied,
            "satisfied_share": _share(satisfied, rated)}


def per_site(scope: Scope) -> list[dict]:
    """Count assists and citizens per site, for the city's table (every active site listed)."""
    rows = _sources(scope, ["all"]).c
    counted = (db.select(rows.site_id, func.sum(rows.assists).label("assists"),
                         func.sum(rows.amount).label("citizens"))
               .group_by(rows.site_id).subquery())
    found = db.session.execute(
        db.select(Site.code, Site.name, func.coalesce(counted.c.assists, 0),
                  func.coalesce(counted.c.citizens, 0))
        .outerjoin(counted, counted.c.site_id == Site.id)
        .where((Site.active.is_(True)) | (counted.c.assists.is_not(None)))
        .order_by(Site.code))
    return [{"code": code, "name": name, "assists": int(a), "citizens": int(c)}
            for code, name, a, c in found]


def _summary(found: dict) -> dict:
    """Return the API's summary out of a scope's facts."""
    return {**headline(None, found),
            **{f"by_{dim}": _counts(found, dim) for dim in ("category", "outcome", "channel")},
            "by_target_group": _counts(found, "target_group")}


def api_summary(scope: Scope) -> dict:
    """Return the API's summary: headline and the four main breakdowns."""
    return _summary(facts(scope, ["all", "category", "outcome", "channel", "target_group"]))


def full_report(scope: Scope, with_sites: bool = False) -> dict:
    """Return every indicator of the report screen, the exports and the draft."""
    found = facts(scope)
    report = _summary(found)
    report.update({
        "ytd": headline(Scope(scope.period.year_to_date(), scope.site_id)),
        **{f"by_{dim}": _counts(found, dim) for dim in TEXT_DIMS if dim not in report},
        **{f"by_{dim}": _counts(found, dim) for dim in OPTIONAL_DIMS},
        "by_helper": by_helper(found),
        "by_helper_role": by_helper_role(found),
        "counters": {name: amount for name, _n, _c, amount in found.get("counter", [])},
        "quality": queue_quality(scope, found),
        "heatmap": {divmod(number, 100): n for _c, number, n, _a in found.get("heat", [])},
        "satisfaction": satisfaction(found),
        **helper_totals(found),
    })
    report["counters"] = {name: report["counters"].get(name, 0) for name in COUNTERS}
    if with_sites:
        report["sites"] = per_site(scope)
    return report
