"""Going live from the command line: create-site, set-password, create-user's policy, retire-demo."""
import secrets
from datetime import date, time, timedelta

import pytest

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.audit.models import AuditEvent
from kiosk.auth.models import ApiToken, User
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.queue.models import (
    Contact, Desk, PublicHoliday, Service, Site, Ticket, TicketCounter, TicketEvent,
)
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.staff.models import DutyShift
from kiosk.timeutil import utcnow
from tests.conftest import count_rows

GOOD = "Cay-bang-truoc-cong-2025"
SITE_TABLES = (Assist, Contact, Desk, DutyShift, LearningPlatform, PublicHoliday,
               ReportHalf, ReportMonth, Service, Ticket, TicketCounter, TicketEvent, User)


def _user(app, username):
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def _site_id(app, code):
    with app.app_context():
        return db.session.execute(db.select(Site.id).filter_by(code=code)).scalar_one_or_none()


@pytest.fixture
def activity(app, runner):
    """Add a site's worth of log for a helper: returns add(site_code, username)."""
    def add(site_code, username):
        with app.app_context():
            site = db.session.execute(db.select(Site).filter_by(code=site_code)).scalar_one()
            helper = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
            service = db.session.execute(db.select(Service).filter_by(site_id=site.id)).scalars().first()
            desk = Desk(site_id=site.id, number=9, name="Quầy 9", services=[service])
            db.session.add(desk)
            db.session.flush()
            day = date(2026, 1, 5)
            ticket = Ticket(site_id=site.id, service_id=service.id, issued_service_id=service.id,
                            day=day, number=1, label=f"{service.prefix}001", status="done",
                            token=secrets.token_urlsafe(12), desk_id=desk.id, served_by_id=helper.id)
            db.session.add(ticket)
            db.session.flush()
            db.session.add_all([
                TicketEvent(site_id=site.id, ticket_id=ticket.id, desk_id=desk.id, kind="issued"),
                TicketCounter(site_id=site.id, service_id=service.id, day=day, last_number=1),
                Assist(site_id=site.id, desk_id=desk.id, ticket_id=ticket.id, visit_key="v1",
                       helper_id=helper.id, entered_by_id=helper.id, category=service.code,
                       local_day=day, target_groups=[AssistTargetGroup(code="elderly")]),
                Contact(site_id=site.id, ticket_id=ticket.id, name="Bà Lan", phone="0912345678",
                        consent_text="đồng ý", expires_at=utcnow() + timedelta(days=30)),
                DutyShift(site_id=site.id, user_id=helper.id, weekday=0, start=time(7, 30),
                          end=time(11, 30)),
                PublicHoliday(site_id=site.id, day=date(2026, 9, 2), name="Quốc khánh"),
                AuditEvent(action="test.event", site_id=site.id, user_id=helper.id),
            ])
            db.session.commit()
        for args in (["create-token", username], ["create-kiosk", "--site", site_code, "--name", "K"],
                     ["rebuild-report-summary"]):
            assert runner.invoke(args=args).exit_code == 0
    return add


def test_create_site(app, runner):
    result = runner.invoke(args=["create-site", "HB-01", "--name", "Trung tâm phường Hồng Bàng",
                                 "--address", "Số 1 Minh Khai"])
    assert result.exit_code == 0, result.output
    assert "create-user USERNAME --role admin --site HB-01" in result.output
    with app.app_context():
        site = db.session.execute(db.select(Site).filter_by(code="HB-01")).scalar_one()
        assert (site.name, site.address) == ("Trung tâm phường Hồng Bàng", "Số 1 Minh Khai")
    assert count_rows(app, Service, site_id=site.id) == 11
    assert count_rows(app, LearningPlatform, site_id=site.id) == 4
    assert count_rows(app, Desk) == 0
    assert count_rows(app, AuditEvent, action="site.create") == 1


@pytest.mark.parametrize("code", ["hb", "HB_01", "A" * 17, "HỒNG", ""])
def test_create_site_refuses_bad_codes(app, runner, code):
    result = runner.invoke(args=["create-site", code, "--name", "X"])
    assert result.exit_code != 0 and count_rows(app, Site) == 0


def test_create_site_refuses_duplicates_and_empty_names(app, runner, demo):
    dup = runner.invoke(args=["create-site", "DEMO", "--name", "Khác"])
    assert dup.exit_code != 0 and "exists" in dup.output
    assert runner.invoke(args=["create-site", "NEW", "--name", "  "]).exit_code != 0
    assert count_rows(app, Site) == 1


def test_set_password_from_stdin(app, runner, demo):
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="canbo")).scalar_one()
        user.must_change_password = True
        db.session.commit()
    result = runner.invoke(args=["set-password", "canbo"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    user = _user(app, "canbo")
    assert user.check_password(GOOD) and not user.must_change_password
    assert user.password_changed_at is not None


@pytest.mark.parametrize("password", ["ngan-qua", "canbo-la-toi-2025", "Password123", "matkhau123"])
def test_set_password_applies_the_policy(app, runner, demo, password):
    result = runner.invoke(args=["set-password", "canbo"], input=password + "\n")
    assert result.exit_code != 0 and "password refused" in result.output
    user = _user(app, "canbo")
    assert user.check_password("canbo-demo") and user.password_changed_at is None


def test_set_password_unknown_user(runner, demo):
    result = runner.invoke(args=["set-password", "ghost"], input=GOOD + "\n")
    assert result.exit_code != 0 and "no user" in result.output


def test_create_user_applies_the_policy(app, runner, demo):
    for password in ("ngan", "hoa.tran-2025-x", "iloveyou123", "1234567890"):
        result = runner.invoke(args=["create-user", "hoa.tran", "--role", "officer", "--site", "DEMO"],
                               input=password + "\n")
        assert result.exit_code != 0 and "password refused" in result.output, password
    assert _user(app, "hoa.tran") is None
    ok = runner.invoke(args=["create-user", "hoa.tran", "--role", "officer", "--site", "DEMO"],
                       input=GOOD + "\n")
    assert ok.exit_code == 0, ok.output


def test_seed_demo_marks_demo_users_and_keeps_their_passwords(app, demo):
    user = _user(app, "canbo")
    assert user.is_demo and user.check_password("canbo-demo")


def test_retire_demo_deactivates_demo_users_only(app, runner, demo):
    ok = runner.invoke(args=["create-user", "hoa.tran", "--role", "officer", "--site", "DEMO"],
                       input=GOOD + "\n")
    assert ok.exit_code == 0
    result = runner.invoke(args=["retire-demo"])
    assert result.exit_code == 0 and "Deactivated 5" in result.output
    assert not _user(app, "admin").active and not _user(app, "thanhpho").active
    assert _user(app, "hoa.tran").active and _site_id(app, "DEMO") is not None
    assert count_rows(app, AuditEvent, action="demo.retire") == 1


def test_retire_demo_delete_data_refused_when_a_real_log_exists(app, runner, demo, activity):
    assert runner.invoke(args=["create-user", "hoa.tran", "--role", "officer", "--site", "DEMO"],
                         input=GOOD + "\n").exit_code == 0
    activity("DEMO", "hoa.tran")
    before = {model.__name__: count_rows(app, model) for model in SITE_TABLES}
    result = runner.invoke(args=["retire-demo", "--delete-data"])
    assert result.exit_code != 0 and "nothing changed" in result.output
    assert {model.__name__: count_rows(app, model) for model in SITE_TABLES} == before
    assert _user(app, "admin").active and _user(app, "canbo").active


def test_retire_demo_delete_data_removes_the_demo_site(app, runner, demo, activity):
    activity("DEMO", "canbo")
    assert runner.invoke(args=["create-site", "KHAC", "--name", "Trung tâm khác"]).exit_code == 0
    assert runner.invoke(args=["create-user", "khac.canbo", "--role", "officer", "--site", "KHAC"],
                         input=GOOD + "\n").exit_code == 0
    activity("KHAC", "khac.canbo")
    assert count_rows(app, Assist) == 2 and count_rows(app, ReportMonth) > 0
    result = runner.invoke(args=["retire-demo", "--delete-data"])
    assert result.exit_code == 0, result.output
    assert "Deleted site DEMO" in result.output
    assert _site_id(app, "DEMO") is None
    khac = _site_id(app, "KHAC")
    for model in SITE_TABLES:
        with app.app_context():
            site_ids = set(db.session.execute(db.select(model.site_id)).scalars())
        assert site_ids <= {khac}, model.__name__
    assert count_rows(app, Ticket) == 1 and count_rows(app, Assist) == 1
    assert count_rows(app, ApiToken) == 1
    assert count_rows(app, AssistTargetGroup) == 1 and count_rows(app, User) == 1
    with app.app_context():
        assert db.session.execute(db.select(AuditEvent.action).where(
            AuditEvent.site_id.is_(None)).order_by(AuditEvent.id)).scalars().all() == [
                "demo.retire", "demo.delete_data"]
    assert runner.invoke(args=["retire-demo", "--delete-data"]).exit_code == 0


def test_every_new_command_has_help(runner):
    for name in ("create-site", "set-password", "retire-demo"):
        result = runner.invoke(args=[name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_set_password_ends_the_users_sessions(app, client, runner, demo, login):
    login("canbo")
    assert client.get("/api/v1/me").status_code == 200
    result = runner.invoke(args=["set-password", "canbo"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/me").status_code == 401
