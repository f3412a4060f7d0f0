"""The summaries (ReportHalf, ReportMonth) of the assist log: their facts read from the log,
and the rebuild of whole spans.

A write keeps them equal to the log by increments at commit (kiosk/reports/increments.py);
Core bulk inserts (seed-bulk) call `rebuild`; `flask rebuild-report-summary` redoes it all
from the log with raw_facts, the definition the increments follow.
"""
import functools
from datetime import date, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import Integer, String, cast, delete, func, insert, literal_column, select, union_all

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.extensions import allow_long_statements, db
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.sqlfuncs import half_start, local_hour, month_start, weekday

NO_CODE, NO_NUMBER = literal_column("''"), literal_column("0")
TEXT_DIMS = {"category": Assist.category, "outcome": Assist.outcome, "channel": Assist.channel,
             "age_band": Assist.age_band, "gender": Assist.gender}
OPTIONAL_DIMS = {"failure_reason": Assist.failure_reason, "platform": Assist.platform_code}
COUNTERS = ("vneid_activated", "dossiers_submitted", "payments_made", "apps_installed")
FIELDS = ("site_id", "dim", "code", "number", "assists", "amount")  # after the span's first day


def live(first: date, last: date, site_ids=None) -> list:
    """Return the WHERE clauses of the live assists of some sites (None: all) over local days."""
    clauses = [Assist.local_day >= first, Assist.local_day <= last, Assist.deleted_at.is_(None)]
    if site_ids is not None:
        clauses.append(Assist.site_id.in_(site_ids))
    return clauses


def _part(dim: str, code, number, assists, amount, where: list, join=None, grain=month_start):
    """Return one breakdown grouped by (span, site, code, number) in the summary's columns."""
    span = grain(Assist.local_day)
    query = db.select(span.label("span"), Assist.site_id, literal_column(f"'{dim}'").label("dim"),
                      cast(code, String).label("code"), cast(number, Integer).label("number"),
                      assists.label("assists"), amount.label("amount"))
    if join is not None:
        query = query.join(join, join.assist_id == Assist.id)
    keys = [k for k in (code, number) if not getattr(k, "is_literal", False)]  # GROUP BY 0: a position
    return query.where(*where).group_by(span, Assist.site_id, *keys)


def raw_facts(where: list, dims=None, grain=month_start):
    """Return the summary rows (of some dims; None: all) of the live assists matching `where`,
    per site and span (month_start or half_start of the local day)."""
    count, helper = func.count(), func.coalesce(Assist.helper_id, 0)
    part = functools.partial(_part, grain=grain)
    parts = [part("all", NO_CODE, NO_NUMBER, count, func.count(func.distinct(Assist.visit_key)),
                  where),
             part("helper", func.coalesce(Assist.helper_role, ""), helper, count,
                  func.coalesce(func.sum(Assist.service_seconds), 0), where),
             part("heat", NO_CODE, weekday(Assist.local_day) * 100 + local_hour(Assist.ended_at),
                  count, NO_NUMBER, where),
             part("target_group", AssistTargetGroup.code, NO_NUMBER, count, NO_NUMBER, where,
                  AssistTargetGroup),
             # Keyed by (scale, level): a level means something only on its own scale.
             part("satisfaction", Assist.satisfaction_scale, Assist.satisfaction, count, NO_NUMBER,
                  [*where, Assist.satisfaction.is_not(None)])]
    parts += [part(dim, func.coalesce(column, ""), NO_NUMBER, count, NO_NUMBER, where)
              for dim, column in TEXT_DIMS.items()]
    parts += [part(dim, column, NO_NUMBER, count, NO_NUMBER, [*where, column.is_not(None)])
              for dim, column in OPTIONAL_DIMS.items()]
    parts += [part("counter", literal_column(f"'{name}'"), NO_NUMBER, count,
                   func.coalesce(func.sum(getattr(Assist, name)), 0), where)
              for name in COUNTERS]
    for dim, column in (("wait", Assist.wait_seconds), ("service", Assist.service_seconds)):
        parts.append(part(dim, NO_CODE, column // 60, count, func.sum(column),
                          [*where, column.is_not(None)]))
    return union_all(*(p for p in parts if dims is None or _dim(p) in dims))


def _dim(part) -> str:
    """Return the name of the breakdown a part selects (its 'dim' literal, unquoted)."""
    return part.selected_columns.dim.element.name.strip("'")


def month_bounds(day: date) -> tuple[date, date]:
    """Return the first and last day of a day's month."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def half_bounds(day: date) -> tuple[date, date]:
    """Return the first and last day of a day's half-month (1st–14th, 15th–end)."""
    if day.day < 15:
        return day.replace(day=1), day.replace(day=14)
    return day.replace(day=15), month_bounds(day)[1]


def cover(first: date, last: date) -> tuple[list[date], list[date], list[tuple[date, date]]]:
    """Split the days first..last into whole months, whole halves of the months that are not
    whole, and the remaining (first, last) day ranges (at most one at each end)."""
    months, halves, days = [], [], []
    day = first
    while day <= last:
        month_first, month_last = month_bounds(day)
        half_first, half_last = half_bounds(day)
        if day == month_first and month_last <= last:
            months.append(day)
            end = month_last
        elif day == half_first and half_last <= last:
            halves.append(day)
            end = half_last
        else:
            end = min(half_last, last)
            if days and days[-1][1] == day - timedelta(days=1):
                days[-1] = (days[-1][0], end)
            else:
                days.append((day, end))
        day = end + timedelta(days=1)
    return months, halves, days


def log_span(connection) -> tuple[date, date] | None:
    """Return the first and last local day of the whole assist log, None when it is empty."""
    first, last = connection.execute(select(func.min(Assist.local_day),
                                            func.max(Assist.local_day))).one()
    return None if first is None else (first, last)


def _replace(connection, table, span, first: date, last: date, site_ids, rows) -> None:
    """Delete a summary's rows of spans first..last (some sites; None: all), insert `rows`."""
    gone = [span >= first, span <= last]
    if site_ids is not None:
        gone.append(table.site_id.in_(site_ids))
    connection.execute(delete(table).where(*gone))
    connection.execute(insert(table).from_select((span.key, *FIELDS), rows))


def rebuild(connection, first: date, last: date, site_ids=None) -> None:
    """Recompute the summaries of some sites (None: all) over first..last: the half-months
    covering it from the log, then the months holding those halves from their two halves."""
    first, last = half_bounds(first)[0], half_bounds(last)[1]
    _replace(connection, ReportHalf, ReportHalf.half, first, last, site_ids,
             raw_facts(live(first, last, site_ids), grain=half_start))
    _refresh_months(connection, month_bounds(first)[0], month_bounds(last)[1], site_ids)


def _refresh_months(connection, first: date, last: date, site_ids) -> None:
    """Recompute the months first..last (some sites; None: all) as the sums of their halves."""
    month, keys = month_start(ReportHalf.half), (ReportHalf.site_id, ReportHalf.dim,
                                                 ReportHalf.code, ReportHalf.number)
    rows = select(month, *keys, func.sum(ReportHalf.assists), func.sum(ReportHalf.amount)).where(
        ReportHalf.half >= first, ReportHalf.half <= last).group_by(month, *keys)
    if site_ids is not None:
        rows = rows.where(ReportHalf.site_id.in_(site_ids))
    _replace(connection, ReportMonth, ReportMonth.month, first, last, site_ids, rows)


def fill_empty_derived_tables(connection) -> None:
    """Render the summaries from the log where a migration left them empty."""
    span = log_span(connection)
    if span is None:
        return
    for table in (ReportHalf, ReportMonth):
        if connection.execute(select(table.site_id).limit(1)).first() is None:
            rebuild(connection, *span)
            return  # one rebuild fills both


@click.command("rebuild-report-summary")
@with_appcontext
def rebuild_report_summary_command():
    """Rebuild the reports' summaries from the assist log."""
    allow_long_statements(db.session.connection())
    span = log_span(db.session.connection())
    if span is not None:
        rebuild(db.session.connection(), *span)
    else:
        for table in (ReportHalf, ReportMonth):
            db.session.execute(delete(table))
    db.session.commit()
    rows = [db.session.execute(db.select(func.count()).select_from(table)).scalar_one()
            for table in (ReportHalf, ReportMonth)]
    click.echo(f"Report summary rebuilt: {rows[0]} half-month rows, {rows[1]} month rows.")
