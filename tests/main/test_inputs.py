"""Hostile input gets a 4xx and stores nothing: the defects an outside probe found as 500s."""
import io
import json
import math
import struct

import pytest

from kiosk.assists.models import Assist
from kiosk.queue.models import Ticket
from tests.conftest import count_rows

DEEP = "[" * 3000 + "]" * 3000


@pytest.fixture
def token_for(runner, demo):
    """A user's bearer token header: token_for("vhxh")."""
    def make(username):
        raw = runner.invoke(args=["create-token", username]).output.strip().splitlines()[-1]
        return {"Authorization": f"Bearer {raw}"}
    return make


@pytest.fixture
def kiosk_auth(kiosk_token):
    return {"Authorization": f"Bearer {kiosk_token}"}


@pytest.mark.parametrize("body", [DEEP, '{"a":' * 40 + "1" + "}" * 40, "NaN", "1" * 5000,
                                  '{"service": "\\ud800"}', '{"service": "vneid\\u0000"}',
                                  '{"service": 9007199254740992}', b'{"service": "\xff"}'])
def test_bad_json_body_is_400_bad_json(app, client, kiosk_auth, body):
    response = client.post("/api/v1/tickets", data=body, headers=kiosk_auth,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_json"
    assert count_rows(app, Ticket) == 0


def test_lone_surrogate_in_assist_note_is_400(app, client, token_for):
    response = client.post("/api/v1/assists", headers=token_for("canbo"),
                           data='{"service": "vneid", "category": "other", "note": "\\udfff"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert count_rows(app, Assist) == 0


@pytest.mark.parametrize("body", ["0", "[]", '{"username": {"a": 1}, "password": "x"}'])
@pytest.mark.parametrize("path", ["/login", "/console/rota", "/kiosk/pair"])
def test_json_body_to_a_form_route_is_refused(client, demo, path, body):
    response = client.post(path, data=body, content_type="application/json",
                           headers={"Authorization": "Bearer x"})
    assert response.status_code == 415
    assert "chỉ nhận dữ liệu gửi từ biểu mẫu" in response.get_data(as_text=True)


def test_console_unlock_still_takes_json(client, token_for):
    response = client.post("/console/unlock", json={"password": DEEP[:40]},
                           headers=token_for("canbo"))
    assert response.status_code < 500


@pytest.mark.parametrize("request_args", [
    ("get", "/t/%00/status.json", {}), ("get", "/api/v1/queue?site=%00", {}),
    ("get", "/display?site=%00", {}), ("get", "/api/v1/queue?site=DEMO%01", {}),
    ("post", "/kiosk/pair", {"data": {"code": "\x00"}}),
    ("post", "/login", {"data": {"username": "can\x00bo", "password": "x"}}),
])
def test_control_characters_are_400(client, demo, request_args):
    method, path, kwargs = request_args
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "bad_text"
    else:
        assert "ký tự không hợp lệ" in response.get_data(as_text=True)


def test_nul_in_service_code_and_assist_note_is_400(app, client, kiosk_auth, token_for):
    assert client.post("/api/v1/tickets", json={"service": "vn\x00eid"},
                       headers=kiosk_auth).status_code == 400
    assert client.post("/api/v1/assists", json={"service": "vneid", "category": "other",
                                                "note": "a\x00b"},
                       headers=token_for("canbo")).status_code == 400
    assert count_rows(app, Ticket) == 0 and count_rows(app, Assist) == 0


def test_tab_and_newlines_stay_allowed(client, demo):
    assert client.get("/api/v1/queue?site=DEMO%0A").status_code == 404


@pytest.mark.parametrize("dates", ["from=2026-11-01&to=9999-12-31",
                                   "from=0001-01-01&to=2026-01-01"])
@pytest.mark.parametrize("path", ["/api/v1/reports/summary", "/reports/assists.xlsx",
                                  "/reports/draft.docx", "/reports/assists.csv"])
def test_report_dates_outside_2000_2100_are_400_json(client, token_for, path, dates):
    response = client.get(f"{path}?{dates}", headers=token_for("vhxh"))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_date" and error["field"] in ("from", "to")


@pytest.mark.parametrize("path", ["/reports", "/reports/print"])
@pytest.mark.parametrize("first,last", [("2026-11-01", "9999-12-31"), ("0001-01-01", "2026-01-01")])
def test_report_screen_dates_outside_2000_2100_show_the_field_error(client, token_for, path,
                                                                    first, last):
    response = client.get(f"{path}?kind=custom&first={first}&last={last}",
                          headers=token_for("vhxh"), follow_redirects=True)
    assert response.status_code < 500
    assert "Ngày phải từ 01/01/2000 đến 31/12/2100." in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "garbage"])
def test_my_assists_of_an_impossible_day_show_today(client, token_for, day):
    assert client.get(f"/assists/mine?day={day}", headers=token_for("canbo")).status_code == 200


def _wav(data: bytes, channels=1, declared=None) -> bytes:
    size = len(data) if declared is None else declared
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, 22050, 22050 * channels * 2, channels * 2, 16)
    body = b"WAVE" + b"fmt " + fmt + b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize("channels,declared", [(1, None), (2, None), (1, 10**6), (2, 10**6)])
def test_voice_upload_with_an_odd_data_chunk_is_accepted(client, token_for, channels, declared):
    tone = b"".join(struct.pack("<h", int(8000 * math.sin(i / 5))) for i in range(4000))
    upload = _wav(tone + b"\x01", channels, declared)
    response = client.post("/display/admin/voice", headers=token_for("admin"),
                           data={"clip": "digit_1", "audio": (io.BytesIO(upload), "a.wav")},
                           content_type="multipart/form-data")
    assert response.status_code == 302


@pytest.fixture
def csrf_app(make_app, database_url, demo):
    return make_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret"})


@pytest.mark.parametrize("header", ["Bearer x", "Bearer usr_forged", "Bearer kio_forged",
                                    "bearer "])
def test_an_invalid_bearer_token_does_not_skip_csrf(csrf_app, header):
    response = csrf_app.test_client().post("/api/v1/tickets", json={"service": "vneid"},
                                           headers={"Authorization": header})
    assert response.status_code == 400
    assert "hết hạn" in response.get_json()["error"]["message"]


def test_a_valid_kiosk_token_skips_csrf(csrf_app, kiosk_token):
    response = csrf_app.test_client().post("/api/v1/tickets", json={"service": "vneid"},
                                           headers={"Authorization": f"Bearer {kiosk_token}"})
    assert response.status_code in (201, 409)


def test_a_chunked_json_body_over_the_limit_is_413(app, client, kiosk_auth):
    body = json.dumps({"service": "vneid", "pad": "x" * 20000}).encode()
    response = client.post("/api/v1/tickets", input_stream=io.BytesIO(body),
                           content_type="application/json",
                           headers={**kiosk_auth, "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert count_rows(app, Ticket) == 0


def test_pages_carry_a_content_security_policy(client, demo):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'self'" in policy
