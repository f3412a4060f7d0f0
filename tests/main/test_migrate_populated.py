"""A database holding a log is upgraded from an early revision: the derived tables come out equal
to the log, although the migrations in between know nothing of today's columns."""
from flask_migrate import downgrade, upgrade

from kiosk.assists.services import AssistData, log_assists
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.assists.models import Assist
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.summary import log_span, rebuild


def _derived():
    """Return every summary row, to compare with a fresh rebuild."""
    return ({tuple(r) for r in db.session.execute(db.select(ReportHalf.__table__))},
            {tuple(r) for r in db.session.execute(db.select(ReportMonth.__table__))})


def test_upgrading_a_populated_database_from_0001_rebuilds_the_derived_tables(demo):
    """Every migration is SQL only: the first schema's log comes up to today's with its rows."""
    with demo.app_context():
        user = db.session.execute(db.select(User).where(User.username == "doanvien")).scalar_one()
        log_assists(user, AssistData("vneid", note="a, b"), {"vneid"}, count=3)
        db.session.commit()
        db.session.remove()
        downgrade(revision="0001")
        db.session.remove()
        upgrade()
        db.session.remove()
        after_upgrade = _derived()
        assert after_upgrade[0] and after_upgrade[1]
        assert db.session.execute(db.select(db.func.count()).select_from(Assist)).scalar_one() == 3
        connection = db.session.connection()
        rebuild(connection, *log_span(connection))
        assert _derived() == after_upgrade
        db.session.rollback()
