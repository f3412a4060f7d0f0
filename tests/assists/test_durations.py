"""Volunteer hours are real: desk time from the ticket, a duration in one tap for help outside a
ticket (chips 10/15/30/45/60 min or another 1–480), stored as service_seconds; the report's hours
per helper, per role and in total come from them."""
import pytest

from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.reports.periods import build_period
from kiosk.reports.queries import Scope, full_report
from kiosk.timeutil import local_today
from tests.staff.helpers import desk_ids, kiosk_headers, serve_one, staff_headers, take_ticket

FIELD = {"category": "vneid", "outcome": "done", "channel": "home", "count": "1"}


def seconds(app, n: int = 1) -> list:
    with app.app_context():
        return [a.service_seconds for a in db.session.execute(
            db.select(Assist).order_by(Assist.id.desc()).limit(n)).scalars()]


@pytest.mark.parametrize("chip", ["10", "15", "30", "45", "60"])
def test_field_duration_chip(client, demo, login, chip):
    login("doanvien")
    assert client.post("/field", data={**FIELD, "duration": chip}).status_code == 302
    assert seconds(demo) == [int(chip) * 60]


def test_field_other_duration_and_tally(client, demo, login):
    login("doanvien")
    page = client.get("/field").get_data(as_text=True)
    for label in ("10 phút", "15 phút", "30 phút", "45 phút", "60 phút", "khác"):
        assert f">{label}</label>" in page
    assert client.post("/field", data={**FIELD, "duration": "other",
                                       "duration_other": "90"}).status_code == 302
    assert seconds(demo) == [5400]
    # A tally: each of the N assists took that time.
    assert client.post("/field", data={**FIELD, "count": "4", "duration": "15"}).status_code == 302
    assert seconds(demo, 4) == [900] * 4


@pytest.mark.parametrize("data, message", [
    ({"duration": "other"}, "Nhập số phút từ 1 đến 480."),
    ({"duration": "other", "duration_other": "481"}, "Nhập số phút từ 1 đến 480."),
    ({"duration": "other", "duration_other": "0"}, "Nhập số phút từ 1 đến 480."),
    ({"duration": "other", "duration_other": "abc"}, "Vui lòng nhập một số nguyên."),
    ({"duration": "7"}, "Thời gian không hợp lệ."),
])
def test_bad_duration_is_refused_in_vietnamese(client, demo, login, data, message):
    login("doanvien")
    response = client.post("/field", data={**FIELD, **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert seconds(demo) == []


def test_walk_in_takes_a_duration_and_a_ticket_keeps_its_own_time(client, demo, login, runner):
    login("doanvien")
    assert client.post("/console/assist", data={"category": "account", "outcome": "done",
                                                "channel": "desk", "duration": "30"}).status_code == 302
    assert seconds(demo) == [1800]
    take_ticket(client, kiosk_headers(runner), "vneid")
    ticket = serve_one(client, desk_ids(client)[0])
    page = client.get(f"/console?ticket={ticket['id']}").get_data(as_text=True)
    assert 'name="duration"' not in page  # desk time comes from the ticket
    assert client.post("/console/assist", data={"ticket_id": ticket["id"], "category": "vneid",
                                                "outcome": "done", "channel": "desk",
                                                "duration": "60"}).status_code == 302
    assert seconds(demo)[0] < 60  # start → finish of the ticket, not the 60 min posted
    walk = client.get("/console").get_data(as_text=True)
    assert 'name="duration"' in walk


def test_api_duration_minutes(client, demo, runner):
    staff = staff_headers(runner)
    made = client.post("/api/v1/assists", json={"category": "vneid", "channel": "mobile",
                                                "count": 3, "duration_minutes": 45}, headers=staff)
    assert [r["service_seconds"] for r in made.get_json()["assists"]] == [2700] * 3
    for bad in (0, 481, "45", 1.5, True):
        response = client.post("/api/v1/assists", json={"category": "vneid",
                                                        "duration_minutes": bad}, headers=staff)
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["field"] == "duration_minutes"
    plain = client.post("/api/v1/assists", json={"category": "vneid"}, headers=staff)
    assert plain.get_json()["assists"][0]["service_seconds"] is None


def test_report_hours_come_from_the_durations(client, demo, login):
    login("doanvien")  # a volunteer
    client.post("/field", data={**FIELD, "count": "3", "duration": "30"})       # 1.5 h
    client.post("/field", data={**FIELD, "duration": "other", "duration_other": "90"})  # 1.5 h
    login("canbo")  # an officer
    client.post("/console/assist", data={"category": "account", "outcome": "done",
                                         "channel": "desk", "duration": "60"})
    today = local_today()
    with demo.app_context():
        report = full_report(Scope(build_period("custom", today.year, first=today, last=today)))
    assert report["volunteer_hours"] == 3.0
    roles = {r["role"]: r["hours"] for r in report["by_helper_role"]}
    assert roles == {"volunteer": 3.0, "officer": 1.0}
    assert sorted(r["hours"] for r in report["by_helper"]) == [1.0, 3.0]


def test_a_correction_changes_the_duration(client, demo, login):
    login("doanvien")
    client.post("/field", data={**FIELD, "duration": "10"})
    with demo.app_context():
        assist_id = db.session.execute(db.select(Assist.id)).scalar_one()
    page = client.get(f"/assists/{assist_id}/edit").get_data(as_text=True)
    assert 'checked id="duration-0" name="duration" type="radio" value="10"' in page
    assert client.post(f"/assists/{assist_id}/edit", data={**FIELD, "duration": "45"}).status_code == 302
    assert seconds(demo) == [2700]


def test_a_tickets_desk_time_counts_once_however_many_assists_it_holds(client, demo, login, runner):
    login("doanvien")
    take_ticket(client, kiosk_headers(runner), "vneid")
    ticket = serve_one(client, desk_ids(client)[0])
    for category in ("vneid", "apps"):
        assert client.post("/console/assist", data={"ticket_id": ticket["id"], "category": category,
                                                    "outcome": "done", "channel": "desk"}
                           ).status_code == 302
    timed = [s for s in seconds(demo, 2) if s is not None]
    assert len(timed) == 1  # the second assist of the visit adds no desk time
