"""Saturday shifts and public holidays: on a holiday nobody is on duty and the kiosk is closed."""
from datetime import time, timedelta

import pytest

from kiosk.audit.models import AuditEvent
from kiosk.auth.models import User
from kiosk.display.queries import helpers_on_duty
from kiosk.extensions import db
from kiosk.queue.models import PublicHoliday, Site, Ticket
from kiosk.staff.models import DutyShift
from kiosk.timeutil import local_today
from tests.conftest import count_rows


def _ids(app):
    with app.app_context():
        site = db.session.execute(db.select(Site.id).filter_by(code="DEMO")).scalar_one()
        helper = db.session.execute(db.select(User.id).filter_by(username="doanvien")).scalar_one()
        return site, helper


def _add(client, day, name="Tết Dương lịch"):
    return client.post("/console/rota/holidays", data={"holiday-day": day, "holiday-name": name})


def test_saturday_shift_allowed_sunday_refused(app, client, demo, login):
    login("admin")
    _site, helper = _ids(app)
    shift = {"user_id": helper, "start": "07:30", "end": "11:30"}
    assert client.post("/console/rota", data={**shift, "weekday": "5"}).status_code == 302
    assert client.post("/console/rota", data={**shift, "weekday": "6"}).status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(DutyShift.weekday)).scalars().all() == [5]
    html = client.get("/console/rota").get_data(as_text=True)
    assert "Thứ Bảy" in html and "Lê Minh Tuấn" in html


def test_add_list_and_remove_holiday(app, client, demo, login):
    login("admin")
    next_year = local_today().year + 1
    assert _add(client, f"{next_year}-01-01").status_code == 302
    assert _add(client, f"02/09/{next_year}", "Quốc khánh").status_code == 302  # dd/mm/yyyy too
    html = client.get("/console/rota").get_data(as_text=True)
    assert f"01/01/{next_year}" in html and "Tết Dương lịch" in html and "Quốc khánh" in html
    duplicate = _add(client, f"{next_year}-01-01", "Lại Tết")
    assert duplicate.status_code == 400
    assert "Ngày này đã có trong danh sách ngày nghỉ lễ." in duplicate.get_data(as_text=True)
    assert count_rows(app, PublicHoliday) == 2
    with app.app_context():
        holiday_id = db.session.execute(db.select(PublicHoliday.id).filter_by(
            name="Quốc khánh")).scalar_one()
    assert client.post(f"/console/rota/holidays/{holiday_id}/delete").status_code == 302
    assert count_rows(app, PublicHoliday) == 1
    assert count_rows(app, AuditEvent, action="holiday.added") == 2
    assert count_rows(app, AuditEvent, action="holiday.removed") == 1
    assert client.post(f"/console/rota/holidays/{holiday_id}/delete").status_code == 404


@pytest.mark.parametrize("day,name,message", [
    ("2030-02-30", "Tết", "Ngày không hợp lệ."),
    ("mồng một", "Tết", "Ngày không hợp lệ."),
    ("1999-01-01", "Tết", "Ngày phải trong khoảng năm 2000 đến 2100."),
    ("", "Tết", "Vui lòng chọn ngày."),
    ("2030-01-01", "  ", "Vui lòng nhập tên ngày lễ."),
    ("2030-01-01", "x" * 121, "Tối đa 120 ký tự."),
])
def test_bad_holiday_is_refused_in_vietnamese(app, client, demo, login, day, name, message):
    login("admin")
    response = _add(client, day, name)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert count_rows(app, PublicHoliday) == 0


def test_week_view_marks_a_holiday(app, client, demo, login):
    login("admin")
    monday = local_today() - timedelta(days=local_today().weekday())
    assert _add(client, monday.isoformat(), "Giỗ Tổ Hùng Vương").status_code == 302
    html = client.get("/console/rota").get_data(as_text=True)
    assert "Nghỉ lễ: Giỗ Tổ Hùng Vương" in html and "rota-day is-holiday" in html


def test_another_sites_holiday_cannot_be_removed(app, client, demo, login):
    with app.app_context():
        other = Site(code="OTHER", name="Trung tâm khác")
        db.session.add(other)
        db.session.flush()
        holiday = PublicHoliday(site_id=other.id, day=local_today(), name="Nghỉ")
        db.session.add(holiday)
        db.session.commit()
        holiday_id = holiday.id
    login("admin")
    assert client.post(f"/console/rota/holidays/{holiday_id}/delete").status_code == 404
    assert "Nghỉ lễ: Nghỉ" not in client.get("/console/rota").get_data(as_text=True)
    assert count_rows(app, PublicHoliday) == 1


def test_on_a_holiday_nobody_is_on_duty_and_the_kiosk_is_closed(app, client, paired):
    site_id, helper = _ids(app)
    with app.app_context():
        db.session.add(DutyShift(site_id=site_id, user_id=helper, weekday=local_today().weekday(),
                                 start=time(0, 0), end=time(23, 59)))
        db.session.commit()
    assert client.get("/api/v1/duty/today?site=DEMO").get_json()["helpers"] == ["Tuấn"]
    with app.app_context():
        db.session.add(PublicHoliday(site_id=site_id, day=local_today(), name="Tết"))
        db.session.commit()
        assert helpers_on_duty(site_id) == []
    assert client.get("/api/v1/duty/today?site=DEMO").get_json()["helpers"] == []
    html = client.get("/kiosk").get_data(as_text=True)
    assert 'data-service="' not in html
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    assert response.status_code == 409 and "ngoài giờ làm việc" in response.get_data(as_text=True)
    assert count_rows(app, Ticket) == 0


def test_a_holiday_elsewhere_leaves_the_kiosk_open(app, client, paired):
    with app.app_context():
        other = Site(code="OTHER", name="Trung tâm khác")
        db.session.add(other)
        db.session.flush()
        db.session.add(PublicHoliday(site_id=other.id, day=local_today(), name="Nghỉ"))
        db.session.commit()
    assert client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).status_code == 302
    assert count_rows(app, Ticket) == 1


@pytest.mark.parametrize("user", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_only_admins_change_holidays(app, client, demo, login, user):
    with app.app_context():
        site_id = db.session.execute(db.select(Site.id).filter_by(code="DEMO")).scalar_one()
        holiday = PublicHoliday(site_id=site_id, day=local_today(), name="Nghỉ")
        db.session.add(holiday)
        db.session.commit()
        holiday_id = holiday.id
    login(user)
    assert _add(client, "2030-01-01").status_code == 403
    assert client.post(f"/console/rota/holidays/{holiday_id}/delete").status_code == 403
    assert count_rows(app, PublicHoliday) == 1


def test_anonymous_is_sent_to_sign_in(client, demo):
    response = _add(client, "2030-01-01")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
