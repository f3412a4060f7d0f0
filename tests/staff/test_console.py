"""The console page: desk choice, the pre-filled assist form, walk-ins, several assists a visit, the lock."""
import re
from datetime import timedelta

from kiosk.assists.models import Assist
from kiosk.auth.models import User, UserSession
from kiosk.extensions import db
from kiosk.timeutil import utcnow
from tests.staff.helpers import desk_ids, kiosk_headers, serve_one, take_ticket


def test_finish_opens_prefilled_form_and_logs_several_assists(client, demo, runner, login):
    kiosk = kiosk_headers(runner)
    take_ticket(client, kiosk, "payment")
    login("doanvien")
    desk = desk_ids(client)[1]
    assert client.post("/console/desk", data={"desk": str(desk)}).status_code == 302
    state = client.get(f"/api/v1/desks/{desk}/console").get_json()
    assert state["waiting"][4]["service"] == "payment" and state["waiting"][4]["count"] == 1
    ticket = serve_one(client, desk)
    assert client.get(f"/api/v1/desks/{desk}/console").get_json()["unlogged"]["id"] == ticket["id"]
    page = client.get(f"/console?ticket={ticket['id']}").get_data(as_text=True)
    assert f'name="ticket_id" type="hidden" value="{ticket["id"]}"' in page
    assert re.search(r'<input checked id="category-\d+" name="category"[^>]*value="payment"', page)
    assert "Ghi nhận phiếu " + ticket["number"] in page
    saved = client.post("/console/assist", data={"ticket_id": ticket["id"], "category": "payment",
                                                 "outcome": "done", "channel": "desk"})
    assert saved.status_code == 302
    first_id = int(saved.location.split("added=")[1])
    again = client.get(f"/console?visit={first_id}").get_data(as_text=True)
    assert "Thêm lượt cho cùng người dân" in again
    client.post("/console/assist", data={"visit_of": first_id, "category": "vneid",
                                         "outcome": "done", "channel": "desk"})
    with demo.app_context():
        rows = list(db.session.execute(db.select(Assist).order_by(Assist.id)).scalars())
        assert [r.category for r in rows] == ["payment", "vneid"]
        assert {r.visit_key for r in rows} == {f"t:{ticket['id']}"} and rows[1].ticket_id == ticket["id"]
        assert rows[0].desk_id == desk
    assert client.get(f"/api/v1/desks/{desk}/console").get_json()["unlogged"] is None


def test_walk_in_and_field_errors_next_to_the_field(client, demo, login):
    login("canbo")
    bad = client.post("/console/assist", data={"outcome": "failed", "channel": "desk"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Vui lòng chọn nội dung hỗ trợ." in page and "Vui lòng chọn lý do không thành công." in page
    ok = client.post("/console/assist", data={"category": "safety", "outcome": "failed",
                                              "failure_reason": "no-otp", "channel": "desk",
                                              "target_groups": ["elderly", "farmer"]})
    assert ok.status_code == 302
    walk_id = int(ok.location.split("added=")[1])
    client.post("/console/assist", data={"visit_of": walk_id, "category": "account",
                                         "outcome": "done", "channel": "desk"})
    with demo.app_context():
        rows = list(db.session.execute(db.select(Assist).order_by(Assist.id)).scalars())
        assert rows[0].ticket_id is None and rows[0].failure_reason == "no-otp"
        assert rows[0].target_group_codes == ["elderly", "farmer"]
        assert rows[0].visit_key == rows[1].visit_key  # one citizen, two assists


def test_field_tally_remembers_place(client, demo, login):
    login("doanvien")
    assert "Giống lần trước" in client.get("/field").get_data(as_text=True)
    response = client.post("/field", data={"category": "vneid", "outcome": "done", "channel": "home",
                                           "place": "Thôn Đông", "count": "12",
                                           "vneid_activated": "1"})
    assert response.status_code == 302
    assert 'value="Thôn Đông"' in client.get("/field").get_data(as_text=True)
    bad = client.post("/field", data={"category": "vneid", "outcome": "done", "channel": "desk",
                                      "count": "0"})
    assert bad.status_code == 400 and "Nhập số người từ 1 đến 200." in bad.get_data(as_text=True)
    assert "Hình thức không hợp lệ." in bad.get_data(as_text=True)
    with demo.app_context():
        rows = list(db.session.execute(db.select(Assist)).scalars())
        assert len(rows) == 12 and len({r.visit_key for r in rows}) == 12
        assert {(r.channel, r.place, r.vneid_activated) for r in rows} == {("home", "Thôn Đông", 1)}


def test_idle_console_locks_and_unlocks_with_password(client, demo, login):
    login("canbo")
    desk = desk_ids(client)[0]
    client.get("/console")
    assert client.get(f"/api/v1/desks/{desk}/console").status_code == 200
    with demo.app_context():  # idle longer than the default 10 minutes
        canbo = db.session.execute(db.select(User.id).filter_by(username="canbo")).scalar_one()
        db.session.execute(db.update(UserSession).where(UserSession.user_id == canbo)
                           .values(console_seen_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    locked = client.post(f"/api/v1/desks/{desk}/call-next")
    assert locked.status_code == 423 and locked.get_json()["error"]["code"] == "locked"
    assert 'data-locked="1"' in client.get("/console").get_data(as_text=True)
    wrong = client.post("/console/unlock", json={"password": "sai"})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["field"] == "password"
    assert client.post("/console/unlock", json={"password": "canbo-demo"}).status_code == 200
    assert client.post(f"/api/v1/desks/{desk}/call-next").status_code == 204
    assert client.post("/console/lock").status_code == 200
    assert client.get(f"/api/v1/desks/{desk}/console").status_code == 423


def test_pause_desk_stops_calls(client, demo, runner, login):
    take_ticket(client, kiosk_headers(runner))
    login("canbo")
    desk = desk_ids(client)[0]
    assert client.post(f"/api/v1/desks/{desk}/pause", json={"paused": "yes"}).status_code == 400
    assert client.post(f"/api/v1/desks/{desk}/pause", json={"paused": True}).get_json()["paused"]
    assert client.post(f"/api/v1/desks/{desk}/call-next").get_json()["error"]["code"] == "paused"
    client.post(f"/api/v1/desks/{desk}/pause", json={"paused": False})
    assert client.post(f"/api/v1/desks/{desk}/call-next").status_code == 200
