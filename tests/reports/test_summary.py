"""The monthly summary equals a from-scratch aggregation of the log after every kind of write."""
from datetime import date, timedelta

from kiosk.assists.models import Assist
from kiosk.assists.services import AssistData, correct_assist, delete_assist, log_assists
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.reports.models import ReportMonth
from kiosk.reports.periods import Period
from kiosk.reports.queries import Scope, full_report
from kiosk.reports.summary import live, raw_facts

CODES = {"vneid", "apps", "account"}


def summary_rows() -> list[tuple]:
    """Return the stored summary, sorted."""
    return sorted(tuple(r) for r in db.session.execute(db.select(
        ReportMonth.month, ReportMonth.site_id, ReportMonth.dim, ReportMonth.code,
        ReportMonth.number, ReportMonth.assists, ReportMonth.amount)).all())


def scratch_rows() -> list[tuple]:
    """Return the summary aggregated anew from the whole log, sorted."""
    return sorted(tuple(r) for r in db.session.execute(
        raw_facts(live(date(2000, 1, 1), date(2100, 12, 31)))).all())


def test_summary_follows_log_tally_correct_move_delete(demo):
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        one = log_assists(user, AssistData("vneid", target_groups=["elderly"], age_band="60-69",
                                           counters={"vneid_activated": 1}), CODES)[0]
        assert summary_rows() == scratch_rows() and summary_rows()
        tally = log_assists(user, AssistData("apps", gender="female"), CODES, count=3)
        assert summary_rows() == scratch_rows()
        correct_assist(user, one, AssistData("account", outcome="failed", failure_reason="other",
                                             target_groups=["farmer", "worker"]), CODES)
        assert summary_rows() == scratch_rows()
        tally[0].local_day = tally[0].local_day.replace(day=1) - timedelta(days=1)  # last month
        db.session.flush()
        assert summary_rows() == scratch_rows()
        assert len({r[0] for r in summary_rows()}) == 2
        delete_assist(user, tally[1])
        assert summary_rows() == scratch_rows()
        db.session.commit()
        month = Period(date.today().replace(day=1), date.today())
        report = full_report(Scope(month, user.site_id))
        assert report["assists"] == 2 and report["by_category"] == {"account": 1, "apps": 1}


def test_rebuild_command_equals_scratch(demo, runner):
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        log_assists(user, AssistData("vneid"), CODES, count=2)
        db.session.execute(db.delete(ReportMonth))
        db.session.commit()
    result = runner.invoke(args=["rebuild-report-summary"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    with demo.app_context():
        assert summary_rows() == scratch_rows() and db.session.execute(
            db.select(db.func.count()).select_from(Assist)).scalar_one() >= 2
