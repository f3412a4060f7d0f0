"""The export's stored lines equal a fresh rendering of the log after every kind of write."""
from datetime import date, timedelta

from kiosk.assists.models import Assist
from kiosk.assists.services import AssistData, correct_assist, delete_assist, log_assists
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports.exports import COLUMNS, assist_rows, csv_lines
from kiosk.reports.models import ExportLine
from kiosk.reports.periods import Period
from kiosk.reports.queries import Scope

CODES = {"vneid", "apps", "account"}
EVER = Period(date(2000, 1, 1), date(2100, 12, 31))


def stored() -> dict:
    """Return {assist id: (site id, day, line)} as stored."""
    return {a: (s, d, line) for a, s, d, line in db.session.execute(db.select(
        ExportLine.assist_id, ExportLine.site_id, ExportLine.local_day, ExportLine.line))}


def fresh() -> dict:
    """Return the same, rendered anew from the live log."""
    rows = list(assist_rows(Scope(EVER)))
    places = {a: (s, d) for a, s, d in db.session.execute(
        db.select(Assist.id, Assist.site_id, Assist.local_day))}
    return {row[0]: (*places[row[0]], line) for row, line in zip(rows, csv_lines(rows))}


def test_lines_follow_log_tally_correct_move_delete_and_site_code(demo):
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        one = log_assists(user, AssistData("vneid", target_groups=["elderly"], note="a, b"),
                          CODES)[0]
        assert stored() == fresh() and len(stored()) == 1
        tally = log_assists(user, AssistData("apps", note="=1+1"), CODES, count=3)
        assert stored() == fresh() and len(stored()) == 4
        assert stored()[tally[0].id][2].endswith(",'=1+1,\r\n")
        correct_assist(user, one, AssistData("account", outcome="failed", failure_reason="other",
                                             target_groups=["worker", "farmer"]), CODES)
        assert stored() == fresh() and ",farmer;worker," in stored()[one.id][2]
        tally[0].local_day = tally[0].local_day - timedelta(days=40)
        db.session.flush()
        assert stored() == fresh() and stored()[tally[0].id][1] == tally[0].local_day
        delete_assist(user, tally[1])
        assert stored() == fresh() and tally[1].id not in stored()
        site = db.session.get(Site, user.site_id)
        site.code = "PHUONG1"
        db.session.flush()
        assert stored() == fresh()
        assert all(line.split(",")[1] == "PHUONG1" for _s, _d, line in stored().values())
        db.session.commit()
        assert len(stored()) == 3 and len(COLUMNS) == 29


def test_rebuild_command_renders_the_lines(demo, runner):
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        log_assists(user, AssistData("vneid", note='say "hi"'), CODES, count=2)
        db.session.execute(db.delete(ExportLine))
        db.session.commit()
    result = runner.invoke(args=["rebuild-report-summary"])
    assert result.exit_code == 0 and "2 export lines" in result.output
    with demo.app_context():
        assert stored() == fresh() and len(stored()) == 2


def test_migration_0009_renders_the_lines_of_an_upgraded_database_again(demo):
    from flask_migrate import downgrade, upgrade
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        log_assists(user, AssistData("vneid", note="a, b"), CODES, count=2)
        db.session.commit()
        db.session.remove()
        downgrade(revision="0008")
        db.session.execute(db.update(ExportLine).values(line="stale\r\n"))  # as older code left them
        db.session.commit()
        db.session.remove()
        upgrade()
        assert stored() == fresh() and len(stored()) == 2
