"""The board page and its live JSON state: desks, calls, cursor, rota, bad input."""
from datetime import time, timedelta

import pytest

from kiosk.extensions import db


def state(client, query="site=DEMO"):
    response = client.get(f"/api/v1/display?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_call_recall_and_transfer_reach_the_board(client, queue_ops):
    first = state(client)
    assert first["events"] == [] and [d["desk"] for d in first["desks"]] == [1, 2, 3]
    cursor = first["last_event"]
    a1, a2 = queue_ops.issue(), queue_ops.issue()
    queue_ops.issue("dvc-submit")
    assert state(client)["desks"][1]["number"] is None
    waiting = {w["service"]: w["count"] for w in state(client)["waiting"]}
    assert waiting["vneid"] == 2 and waiting["dvc-submit"] == 1

    queue_ops.call(2)
    after_call = state(client, f"site=DEMO&after={cursor}")
    assert after_call["desks"][1] == {"desk": 2, "name": "Quầy 2", "number": "A001",
                                      "status": "called"}
    assert [(e["kind"], e["number"], e["desk"], e["announce"]) for e in after_call["events"]] == [
        ("called", "A001", 2, True)]
    call_id = after_call["events"][0]["id"]
    assert after_call["events"][0]["text"] == "Mời số A-không-không-một đến quầy số 2"
    assert after_call["recent"][0]["number"] == "A001"

    cursor = after_call["last_event"]
    # Events of the last seconds come again (a late commit can land below the cursor on
    # PostgreSQL); the board reads each id once, so only ids past the cursor are new here.
    again = state(client, f"site=DEMO&after={cursor}")["events"]
    assert [e["id"] for e in again] == [call_id] and [e for e in again if e["id"] > cursor] == []
    queue_ops.recall(db.session.get(type(a1), a1.id))
    recalled = state(client, f"site=DEMO&after={cursor}")
    assert [(e["kind"], e["text"]) for e in recalled["events"] if e["id"] > cursor] == [
        ("recalled", "Mời số A-không-không-một đến quầy số 2")]

    cursor = recalled["last_event"]
    queue_ops.transfer(db.session.get(type(a1), a1.id), "dvc-track")
    moved = state(client, f"site=DEMO&after={cursor}")
    assert [(e["kind"], e["announce"]) for e in moved["events"] if e["id"] > cursor] == [
        ("transferred", False)]
    assert moved["desks"][1]["number"] is None
    assert a2.id


def test_burst_of_calls_comes_in_order(client, queue_ops):
    cursor = state(client)["last_event"]
    for _ in range(3):
        queue_ops.issue()
    for desk in (1, 2, 3):
        queue_ops.call(desk)
    events = state(client, f"site=DEMO&after={cursor}")["events"]
    assert [(e["number"], e["desk"]) for e in events] == [("A001", 1), ("A002", 2), ("A003", 3)]
    assert events == sorted(events, key=lambda e: e["id"])


def test_desks_filter_limits_the_board(client, queue_ops):
    queue_ops.issue()
    queue_ops.issue()
    queue_ops.call(1)
    queue_ops.call(3)
    limited = state(client, "site=DEMO&desks=3,2&after=0")
    assert [d["desk"] for d in limited["desks"]] == [2, 3]
    assert [e["desk"] for e in limited["events"]] == [3]
    assert [c["desk"] for c in limited["recent"]] == [3]


def test_old_calls_are_shown_but_not_read_out(client, queue_ops):
    from kiosk.queue.models import TicketEvent

    queue_ops.issue()
    queue_ops.call(1)
    event = db.session.execute(
        db.select(TicketEvent).where(TicketEvent.kind == "called")).scalar_one()
    event.at = event.at - timedelta(minutes=10)
    db.session.commit()
    events = state(client, "site=DEMO&after=0")["events"]
    assert [(e["number"], e["announce"]) for e in events] == [("A001", False)]


def test_helpers_on_duty_today_and_ticker(client, queue_ops):
    from kiosk.auth.models import User
    from kiosk.staff.models import DutyShift
    from kiosk.timeutil import local_today

    site = queue_ops.site()
    today = local_today().weekday()
    users = {u.username: u for u in db.session.execute(db.select(User)).scalars()}
    db.session.add_all([
        DutyShift(site_id=site.id, user_id=users["doanvien"].id, weekday=today,
                  start=time(13, 30), end=time(17, 0)),
        DutyShift(site_id=site.id, user_id=users["canbo"].id, weekday=today,
                  start=time(7, 30), end=time(11, 30)),
        DutyShift(site_id=site.id, user_id=users["admin"].id, weekday=(today + 1) % 7,
                  start=time(7, 30), end=time(11, 30)),
    ])
    site.ticker = "Giờ làm việc: sáng 7h30–11h30, chiều 13h30–17h00."
    db.session.commit()
    body = state(client)
    assert body["on_duty"] == [{"name": "Hương", "hours": "07:30–11:30"},
                               {"name": "Tuấn", "hours": "13:30–17:00"}]
    assert body["ticker"] == "Giờ làm việc: sáng 7h30–11h30, chiều 13h30–17h00."
    page = client.get("/display?site=DEMO").get_data(as_text=True)
    assert "Hương" in page and "Tuấn" in page and "Giờ làm việc" in page


def test_board_page_in_vietnamese_with_local_qr_codes(client, demo):
    response = client.get("/display?site=DEMO&desks=1,2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="vi">' in page
    assert "Đang phục vụ" in page and "Bật âm thanh" in page and "Quầy 3" not in page
    assert page.count('class="qr"') == 4 and "<img" not in page
    assert "binhdanhocvuso.gov.vn" in page
    assert 'data-api="/api/v1/display?site=DEMO&amp;desks=1,2"' in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("query, status, code", [
    ("", 400, "missing_site"),
    ("site=NOPE", 404, "unknown_site"),
    ("site=DEMO&after=abc", 400, "bad_after"),
    ("site=DEMO&after=-1", 400, "bad_after"),
    ("site=DEMO&after=1e3", 400, "bad_after"),
    ("site=DEMO&desks=", 400, "bad_desks"),
    ("site=DEMO&desks=1;2", 400, "bad_desks"),
    ("site=DEMO&desks=9", 400, "unknown_desk"),
])
def test_bad_input_is_a_clear_4xx(client, demo, query, status, code):
    api = client.get(f"/api/v1/display?{query}")
    assert api.status_code == status and api.get_json()["error"]["code"] == code
    if "after" not in query:
        page = client.get(f"/display?{query}")
        assert page.status_code == status
        assert "<html lang=\"vi\">" in page.get_data(as_text=True)


def test_announcement_audio_endpoint(client, demo):
    ok = client.get("/display/announce.wav?site=DEMO&number=A012&desk=2")
    assert ok.status_code == 200 and ok.mimetype == "audio/wav"
    assert ok.data[:4] == b"RIFF" and ok.data[8:12] == b"WAVE"
    for query in ("site=NOPE&number=A012&desk=2", "site=DEMO&number=A0x&desk=2",
                  "site=DEMO&number=A012&desk=x", "site=DEMO&number=A012&desk=0",
                  "site=DEMO&number=A012"):
        assert client.get(f"/display/announce.wav?{query}").status_code in (400, 404)
