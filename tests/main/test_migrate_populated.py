"""A database holding a log is upgraded from an early revision: the derived tables come out equal
to the log, although the migrations in between know nothing of today's columns."""
from flask_migrate import downgrade, upgrade

from kiosk.assists.services import AssistData, log_assists
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.reports.models import ExportLine, ReportHalf, ReportMonth
from kiosk.reports.summary import log_span, rebuild


def _derived():
    """Return every summary row and stored line, to compare with a fresh rebuild."""
    return ({tuple(r) for r in db.session.execute(db.select(ReportHalf.__table__))},
            {tuple(r) for r in db.session.execute(db.select(ReportMonth.__table__))},
            {tuple(r) for r in db.session.execute(db.select(ExportLine.__table__))})


def test_upgrading_a_populated_database_from_0002_rebuilds_the_derived_tables(demo):
    from kiosk.reports.lines import rebuild_lines
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        log_assists(user, AssistData("vneid", note="a, b"), {"vneid"}, count=3)
        db.session.commit()
        db.session.remove()
        downgrade(revision="0002")
        db.session.remove()
        upgrade()
        db.session.remove()
        after_upgrade = _derived()
        assert after_upgrade[0] and after_upgrade[1] and len(after_upgrade[2]) == 3
        connection = db.session.connection()
        rebuild(connection, *log_span(connection))
        rebuild_lines(connection, *log_span(connection))
        assert _derived() == after_upgrade
        db.session.rollback()
