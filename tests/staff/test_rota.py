"""The weekly duty rota: admins edit it; the console and the kiosk show today's helpers."""
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.staff.models import DutyShift
from kiosk.timeutil import to_local, utcnow


def helper_id(app, username):
    with app.app_context():
        return db.session.execute(db.select(User.id).where(User.username == username)).scalar_one()


def test_admin_edits_rota_and_today_is_shown(client, demo, login):
    login("admin")
    weekday = min(to_local(utcnow()).weekday(), 5)  # Monday to Saturday
    bad = client.post("/console/rota", data={"user_id": helper_id(demo, "doanvien"), "weekday": weekday,
                                             "start": "11:00", "end": "07:30"})
    assert bad.status_code == 400 and "Giờ kết thúc phải sau giờ bắt đầu." in bad.get_data(as_text=True)
    assert client.post("/console/rota", data={"user_id": "abc", "weekday": "9", "start": "07:30",
                                              "end": "11:30"}).status_code == 400
    ok = client.post("/console/rota", data={"user_id": helper_id(demo, "doanvien"), "weekday": weekday,
                                            "start": "07:30", "end": "11:30", "note": "Sáng"})
    assert ok.status_code == 302
    assert "Lê Minh Tuấn" in client.get("/console/rota").get_data(as_text=True)
    helpers = client.get("/api/v1/duty/today?site=DEMO").get_json()["helpers"]
    today_is_weekday = to_local(utcnow()).weekday() < 6
    assert helpers == (["Tuấn"] if today_is_weekday else [])
    if today_is_weekday:
        assert "Tuấn (07:30–11:30)" in client.get("/console").get_data(as_text=True)
    with demo.app_context():
        shift_id = db.session.execute(db.select(DutyShift.id)).scalar_one()
    assert client.post(f"/console/rota/{shift_id}/delete").status_code == 302
    assert client.get("/api/v1/duty/today?site=DEMO").get_json()["helpers"] == []
    assert client.get("/api/v1/duty/today?site=NOPE").status_code == 404
