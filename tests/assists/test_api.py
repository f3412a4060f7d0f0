"""POST /api/v1/assists: 201 with the rows, 400 naming the faulty field, nothing half-written."""
import pytest
from sqlalchemy import func

from kiosk.assists.models import Assist
from kiosk.extensions import db
from tests.staff.helpers import desk_ids, kiosk_headers, serve_one, staff_headers, take_ticket


def count_assists(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(func.count()).select_from(Assist)).scalar_one()


def test_log_for_a_ticket_takes_its_times_and_visit(client, demo, runner):
    staff = staff_headers(runner, "doanvien")
    take_ticket(client, kiosk_headers(runner), "dvc-submit")
    ticket = serve_one(client, desk_ids(client, staff)[0], staff)
    body = {"ticket_id": ticket["id"], "category": "dvc-submit", "target_groups": ["elderly"],
            "age_band": "60-69", "gender": "female", "dossiers_submitted": 1}
    first = client.post("/api/v1/assists", json=body, headers=staff)
    second = client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "vneid"},
                         headers=staff)
    assert first.status_code == 201 and second.status_code == 201
    row = first.get_json()["assists"][0]
    assert row["visit_key"] == f"t:{ticket['id']}" == second.get_json()["assists"][0]["visit_key"]
    assert row["outcome"] == "done" and row["channel"] == "desk"
    assert row["target_groups"] == ["elderly"]
    with demo.app_context():
        assist = db.session.get(Assist, row["id"])
        assert assist.helper_role == "volunteer" and assist.desk_id == desk_ids(client, staff)[0]
        assert assist.issued_at is not None and assist.wait_seconds is not None
        assert assist.dossiers_submitted == 1 and assist.service_seconds is not None


def test_tally_logs_n_citizens(client, demo, runner):
    staff = staff_headers(runner, "doanvien")
    response = client.post("/api/v1/assists", headers=staff, json={
        "category": "vneid", "channel": "mobile", "place": "Thôn Đông", "count": 12})
    assert response.status_code == 201
    rows = response.get_json()["assists"]
    assert response.get_json()["count"] == 12 == len({r["visit_key"] for r in rows})


@pytest.mark.parametrize("body, field", [
    ({}, "category"),
    ({"category": "nope"}, "category"),
    ({"category": 7}, "category"),
    ({"category": "vneid", "outcome": "maybe"}, "outcome"),
    ({"category": "vneid", "outcome": "failed"}, "failure_reason"),
    ({"category": "vneid", "outcome": "failed", "failure_reason": "x"}, "failure_reason"),
    ({"category": "vneid", "channel": "fax"}, "channel"),
    ({"category": "vneid", "target_groups": "elderly"}, "target_groups"),
    ({"category": "vneid", "target_groups": ["elderly", "aliens"]}, "target_groups"),
    ({"category": "vneid", "age_band": "100+"}, "age_band"),
    ({"category": "vneid", "gender": 1}, "gender"),
    ({"category": "vneid", "count": 0}, "count"),
    ({"category": "vneid", "count": 201}, "count"),
    ({"category": "vneid", "count": "5"}, "count"),
    ({"category": "vneid", "count": True}, "count"),
    ({"category": "vneid", "vneid_activated": -1}, "vneid_activated"),
    ({"category": "vneid", "apps_installed": 1.5}, "apps_installed"),
    ({"category": "vneid", "note": "x" * 501}, "note"),
    ({"category": "vneid", "ticket_id": "1"}, "ticket_id"),
    ({"category": "vneid", "ticket_id": 99999}, "ticket_id"),
    ({"category": "vneid", "ticket_id": 2**40}, "ticket_id"),
])
def test_invalid_input_is_400_naming_the_field(client, demo, runner, body, field):
    staff = staff_headers(runner)
    response = client.post("/api/v1/assists", json=body, headers=staff)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field
    assert count_assists(demo) == 0


def test_not_json_and_bad_tally_write_nothing(client, demo, runner):
    staff = staff_headers(runner)
    assert client.post("/api/v1/assists", data="[1]", headers={**staff, "Content-Type": "application/json"}).status_code == 400
    assert client.post("/api/v1/assists", json=[1, 2], headers=staff).status_code == 400
    bad_tally = {"category": "vneid", "count": 5, "target_groups": ["elderly", "??"]}
    assert client.post("/api/v1/assists", json=bad_tally, headers=staff).status_code == 400
    assert count_assists(demo) == 0


def test_waiting_ticket_cannot_be_logged_and_reporter_cannot_log(client, demo, runner):
    ticket = take_ticket(client, kiosk_headers(runner))
    response = client.post("/api/v1/assists", json={"ticket_id": ticket["id"], "category": "vneid"},
                           headers=staff_headers(runner))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "ticket_id"
    reporter = client.post("/api/v1/assists", json={"category": "vneid"},
                           headers=staff_headers(runner, "vhxh"))
    assert reporter.status_code == 403
    assert client.post("/api/v1/assists", json={"category": "vneid"}).status_code == 401
