"""The summaries equal a from-scratch aggregation of the log after every kind of write, and a
report read from them equals one read from the log alone, whatever the period's edges."""
from collections import Counter
from datetime import date, timedelta

import pytest

from kiosk.assists.models import Assist
from kiosk.assists.services import AssistData, correct_assist, delete_assist, log_assists
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.periods import Period, build_period
from kiosk.reports.queries import Scope, facts, full_report
from kiosk.reports.sqlfuncs import half_start
from kiosk.reports.summary import cover, live, raw_facts
from kiosk.timeutil import local_today

CODES = {"vneid", "apps", "account"}


def summary_rows(table=ReportMonth) -> list[tuple]:
    """Return a stored summary, sorted."""
    span = table.month if table is ReportMonth else table.half
    return sorted(tuple(r) for r in db.session.execute(db.select(
        span, table.site_id, table.dim, table.code, table.number, table.assists,
        table.amount)).all())


def scratch_rows(grain=None) -> list[tuple]:
    """Return a summary (months; or grain=half_start: halves) aggregated anew from the log."""
    where = live(date(2000, 1, 1), date(2100, 12, 31))
    query = raw_facts(where) if grain is None else raw_facts(where, grain=grain)
    return sorted(tuple(r) for r in db.session.execute(query).all())


def both_equal_scratch() -> bool:
    """Whether both stored summaries equal their from-scratch aggregations (and are not empty)."""
    return (summary_rows() == scratch_rows() and bool(summary_rows())
            and summary_rows(ReportHalf) == scratch_rows(half_start))


def committed_equal_scratch() -> bool:
    """Commit (the summaries follow the log at commit), then compare them with the log."""
    db.session.commit()
    return both_equal_scratch()


def test_summary_follows_log_tally_correct_move_delete(demo):
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        one = log_assists(user, AssistData("vneid", target_groups=["elderly"], age_band="60-69",
                                           counters={"vneid_activated": 1}), CODES)[0]
        assert committed_equal_scratch()
        tally = log_assists(user, AssistData("apps", gender="female"), CODES, count=3)
        assert committed_equal_scratch()
        correct_assist(user, one, AssistData("account", outcome="failed", failure_reason="other",
                                             target_groups=["farmer", "worker"]), CODES)
        assert committed_equal_scratch()
        tally[0].local_day = tally[0].local_day.replace(day=1) - timedelta(days=1)  # last month
        assert committed_equal_scratch()
        assert len({r[0] for r in summary_rows()}) == 2
        delete_assist(user, tally[1])
        assert committed_equal_scratch()
        # Several changes in one transaction, one row changed twice, then undone by a rollback
        correct_assist(user, tally[2], AssistData("vneid", target_groups=["elderly"]), CODES)
        tally[2].local_day = tally[2].local_day - timedelta(days=20)
        log_assists(user, AssistData("apps"), CODES, count=2)
        db.session.rollback()
        assert both_equal_scratch()
        correct_assist(user, tally[2], AssistData("vneid", target_groups=["elderly"]), CODES)
        db.session.flush()
        correct_assist(user, tally[2], AssistData("account", age_band="18-39"), CODES)
        log_assists(user, AssistData("apps"), CODES, count=2)
        assert committed_equal_scratch()
        delete_assist(user, tally[2])
        db.session.commit()
        today = local_today()  # the centre's day: after 17:00 UTC it is already tomorrow
        month = Period(today.replace(day=1), today)
        report = full_report(Scope(month, user.site_id))
        assert report["assists"] == 3 and report["by_category"] == {"account": 1, "apps": 2}


def test_rebuild_command_equals_scratch(demo, runner):
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        log_assists(user, AssistData("vneid"), CODES, count=2)
        db.session.execute(db.delete(ReportMonth))
        db.session.execute(db.delete(ReportHalf))
        db.session.commit()
    result = runner.invoke(args=["rebuild-report-summary"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    with demo.app_context():
        assert both_equal_scratch() and db.session.execute(
            db.select(db.func.count()).select_from(Assist)).scalar_one() >= 2


def test_cover_splits_periods_into_months_halves_and_days():
    d = date
    year = cover(d(2026, 1, 1), d(2026, 12, 31))
    assert year == ([d(2026, m, 1) for m in range(1, 13)], [], [])
    cutoff_year = build_period("year", 2026, basis="cutoff")
    assert cover(cutoff_year.first, cutoff_year.last) == (
        [d(2026, m, 1) for m in range(1, 12)], [d(2025, 12, 15), d(2026, 12, 1)], [])
    assert cover(d(2026, 3, 15), d(2026, 4, 14)) == ([], [d(2026, 3, 15), d(2026, 4, 1)], [])
    assert cover(d(2026, 3, 2), d(2026, 4, 30)) == (
        [d(2026, 4, 1)], [d(2026, 3, 15)], [(d(2026, 3, 2), d(2026, 3, 14))])
    assert cover(d(2026, 3, 3), d(2026, 3, 20)) == ([], [], [(d(2026, 3, 3), d(2026, 3, 20))])
    assert cover(d(2026, 3, 10), d(2026, 5, 20)) == (
        [d(2026, 4, 1)], [d(2026, 3, 15), d(2026, 5, 1)],
        [(d(2026, 3, 10), d(2026, 3, 14)), (d(2026, 5, 15), d(2026, 5, 20))])
    assert cover(d(2028, 2, 15), d(2028, 2, 29)) == ([], [d(2028, 2, 15)], [])  # leap year
    assert cover(d(2026, 5, 31), d(2026, 5, 31)) == ([], [], [(d(2026, 5, 31), d(2026, 5, 31))])


def log_facts(scope: Scope) -> dict:
    """Return facts() of a scope summed in Python from the log alone (no summary read)."""
    sites = None if scope.site_id is None else [scope.site_id]
    totals = Counter()
    for _span, _site, dim, code, number, n, amount in db.session.execute(
            raw_facts(live(scope.period.first, scope.period.last, sites))):
        totals[(dim, code, number, "n")] += n
        totals[(dim, code, number, "amount")] += amount
    return totals


def as_totals(found: dict) -> Counter:
    """Return facts() in log_facts' shape."""
    totals = Counter()
    for dim, rows in found.items():
        for code, number, n, amount in rows:
            totals[(dim, code, number, "n")] += n
            totals[(dim, code, number, "amount")] += amount
    return totals


PERIODS = [build_period("month", 2026, 4), build_period("month", 2026, 4, "cutoff"),
           build_period("quarter", 2026, 2, "cutoff"), build_period("ytd", 2026, basis="cutoff",
                                                                    today=date(2026, 5, 20)),
           Period(date(2026, 3, 10), date(2026, 5, 20)), Period(date(2026, 4, 3), date(2026, 4, 9)),
           Period(date(2026, 3, 15), date(2026, 4, 14)), Period(date(2026, 2, 1), date(2026, 6, 30))]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.kind}-{p.basis}-{p.first}")
def test_report_from_summaries_equals_report_from_log(app, runner, period):
    result = runner.invoke(args=["seed-bulk", "--sites", "2", "--days", "120",
                                 "--assists-per-day", "4", "--end", "2026-05-31"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        for site_id in (None, 1):
            scope = Scope(period, site_id)
            expected = log_facts(scope)
            assert expected, "the data set covers the period"
            assert as_totals(facts(scope)) == expected
