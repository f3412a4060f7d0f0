"""POST /api/v1/tickets and GET /api/v1/queue: shapes, and bad input that changes nothing."""
import json

import pytest

from kiosk.extensions import db
from kiosk.queue.models import Site, Ticket, TicketCounter
from tests.conftest import count_rows


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_issue_returns_documented_shape(client, kiosk_token):
    response = client.post("/api/v1/tickets", json={"service": "payment", "priority": True},
                           headers=_auth(kiosk_token))
    body = response.get_json()
    assert response.status_code == 201
    assert set(body) == {"id", "number", "service", "priority", "ahead", "status_url", "issued_at"}
    assert body["number"] == "E001" and body["service"] == "payment" and body["priority"] is True
    assert body["ahead"] == 0 and "/t/" in body["status_url"] and body["issued_at"].endswith("+00:00")


@pytest.mark.parametrize("kwargs,status,code", [
    ({"json": {"service": "nope"}}, 400, "unknown_service"),
    ({"json": {}}, 400, "invalid"),
    ({"json": {"service": 7}}, 400, "invalid"),
    ({"json": {"service": "vneid", "priority": "yes"}}, 400, "invalid"),
    ({"json": ["vneid"]}, 400, "bad_json"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "bad_json"),
    ({"data": "service=vneid", "content_type": "application/x-www-form-urlencoded"}, 400, "bad_json"),
    ({"data": json.dumps({"service": "vneid", "pad": "x" * 40000}),
      "content_type": "application/json"}, 413, "too_large"),
])
def test_bad_bodies_get_json_4xx_and_change_nothing(app, client, kiosk_token, kwargs, status, code):
    response = client.post("/api/v1/tickets", headers=_auth(kiosk_token), **kwargs)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]["code"] == code
    assert count_rows(app, Ticket) == 0 and count_rows(app, TicketCounter) == 0


def test_huge_body_beyond_server_limit_is_413_json(app, client, kiosk_token):
    response = client.post("/api/v1/tickets", headers=_auth(kiosk_token),
                           data=b"x" * (3 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413 and response.is_json
    assert count_rows(app, Ticket) == 0


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer kio_forged"}, {"Authorization": "Bearer usr_forged"},
    {"Cookie": "kiosk_device=eyJrIjoxfQ.forged"},
])
def test_unregistered_callers_are_refused(app, client, demo, headers):
    response = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "kiosk_required"
    assert count_rows(app, Ticket) == 0


def test_staff_token_cannot_issue(app, client, runner, demo):
    staff = runner.invoke(args=["create-token", "admin"]).output.strip().splitlines()[-1]
    response = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=_auth(staff))
    assert response.status_code == 401 and count_rows(app, Ticket) == 0


def test_revoked_kiosk_is_refused(app, client, kiosk_token):
    from kiosk.touch.services import kiosk_for_token, revoke_kiosk
    assert client.post("/api/v1/tickets", json={"service": "vneid"},
                       headers=_auth(kiosk_token)).status_code == 201
    with app.app_context():
        revoke_kiosk(kiosk_for_token(kiosk_token) or pytest.fail("no kiosk"))
        db.session.commit()
    response = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=_auth(kiosk_token))
    assert response.status_code == 401 and count_rows(app, Ticket) == 1


def test_closed_and_capped_are_409(app, client, kiosk_token):
    from kiosk.queue.models import Service
    with app.app_context():
        service = db.session.execute(db.select(Service).filter_by(code="apps")).scalar_one()
        service.daily_cap = 1
        db.session.commit()
    auth = _auth(kiosk_token)
    assert client.post("/api/v1/tickets", json={"service": "apps"}, headers=auth).status_code == 201
    capped = client.post("/api/v1/tickets", json={"service": "apps"}, headers=auth)
    assert capped.status_code == 409 and capped.get_json()["error"]["code"] == "capped"
    with app.app_context():
        site = db.session.execute(db.select(Site)).scalar_one()
        site.opening_hours = json.dumps({str(d): [["00:00", "00:01"]] for d in range(7)})
        db.session.commit()
    closed = client.post("/api/v1/tickets", json={"service": "vneid"}, headers=auth)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "closed"
    assert count_rows(app, Ticket) == 1


def test_rate_limit_is_429(app, client, kiosk_token):
    app.config["KIOSK_RATE_PER_MINUTE"] = 2
    codes = [client.post("/api/v1/tickets", json={"service": "vneid"},
                         headers=_auth(kiosk_token)).status_code for _ in range(3)]
    assert codes == [201, 201, 429] and count_rows(app, Ticket) == 2


def test_queue_state_needs_a_known_site(client, demo):
    assert client.get("/api/v1/queue").status_code == 400
    response = client.get("/api/v1/queue?site=NOPE")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_site"


def test_queue_state_reveals_no_personal_data(client, kiosk_token, paired):
    client.post("/kiosk/s/apps/p/0", data={"want_contact": "y", "name": "Trần Văn Bình",
                                           "phone": "0987654321", "consent": "y"})
    body = client.get("/api/v1/queue?site=DEMO").get_data(as_text=True)
    assert "Bình" not in body and "0987654321" not in body
    assert json.loads(body)["waiting"][5] == {"service": "apps", "count": 1}
