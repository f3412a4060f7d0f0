"""Helpers see and correct their own entries; later edits are back-dated; deletes are soft and audited."""
from datetime import timedelta

from kiosk.assists.models import Assist
from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from kiosk.timeutil import local_today, utcnow
from tests.staff.helpers import staff_headers

FORM = {"category": "vneid", "outcome": "done", "channel": "desk"}


def log_one(client, runner, user="doanvien", **extra):
    response = client.post("/api/v1/assists", json={"category": "vneid", **extra},
                           headers=staff_headers(runner, user))
    assert response.status_code == 201
    return response.get_json()["assists"][0]["id"]


def events(app, action):
    with app.app_context():
        return list(db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_correct_today_then_after_the_day(client, demo, runner, login):
    assist_id = log_one(client, runner)
    login("doanvien")
    page = client.get("/assists/mine").get_data(as_text=True)
    assert f"assist-{assist_id}" in page
    form = client.get(f"/assists/{assist_id}/edit").get_data(as_text=True)
    assert "không ghi số CCCD, mật khẩu, OTP" in form
    response = client.post(f"/assists/{assist_id}/edit", data={**FORM, "category": "apps",
                                                               "apps_installed": "2"})
    assert response.status_code == 302
    with demo.app_context():
        assist = db.session.get(Assist, assist_id)
        assert assist.category == "apps" and assist.apps_installed == 2
        assert assist.edited_at is not None and assist.backdated is False
        # Move it to yesterday: a change now is a back-dated correction.
        assist.local_day = local_today() - timedelta(days=1)
        assist.ended_at = utcnow() - timedelta(days=1)
        db.session.commit()
    client.post(f"/assists/{assist_id}/edit", data={**FORM, "category": "apps", "gender": "male"})
    with demo.app_context():
        assert db.session.get(Assist, assist_id).backdated is True
    corrected = events(demo, "assist.corrected")
    assert len(corrected) == 2 and '"backdated": true' in corrected[1].detail


def test_invalid_correction_shows_vietnamese_error_and_keeps_row(client, demo, runner, login):
    assist_id = log_one(client, runner)
    login("doanvien")
    response = client.post(f"/assists/{assist_id}/edit", data={**FORM, "category": "nope",
                                                               "vneid_activated": "abc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nội dung hỗ trợ không hợp lệ." in page and "Vui lòng nhập một số nguyên." in page
    with demo.app_context():
        assert db.session.get(Assist, assist_id).category == "vneid"


def test_delete_is_soft_and_audited(client, demo, runner, login):
    assist_id = log_one(client, runner)
    login("doanvien")
    assert client.post(f"/assists/{assist_id}/delete").status_code == 302
    with demo.app_context():
        assert db.session.get(Assist, assist_id).deleted_at is not None
    assert len(events(demo, "assist.deleted")) == 1
    assert f"assist-{assist_id}" not in client.get("/assists/mine").get_data(as_text=True)
    assert client.get(f"/assists/{assist_id}/edit").status_code == 404
    assert client.get(f"/assists/{2**40}/edit").status_code == 404
    assert client.get(f"/console?ticket={2**40}&visit=x&added={2**40}").status_code == 200


def test_volunteer_cannot_touch_another_helpers_entry(client, demo, runner, login):
    assist_id = log_one(client, runner, user="canbo")
    login("doanvien")
    assert client.get(f"/assists/{assist_id}/edit").status_code == 403
    assert client.post(f"/assists/{assist_id}/edit", data=FORM).status_code == 403
    assert client.post(f"/assists/{assist_id}/delete").status_code == 403
    with demo.app_context():
        assert db.session.get(Assist, assist_id).deleted_at is None
