"""PUBLIC_URL: every link and QR code for phones is built on it; the admin is told when unset."""
import re

import pytest

from kiosk import create_app
from kiosk.links import public_url_problem

PHONE_BASE = "http://192.168.1.10:8000"


@pytest.mark.parametrize("value,problem", [
    (None, "unset"), ("", "unset"), ("  ", "unset"),
    ("http://localhost:8000", "loopback"), ("http://127.0.0.1:8000", "loopback"),
    ("http://127.1.2.3", "loopback"), ("http://[::1]:8000", "loopback"), ("http://0.0.0.0:8000", "loopback"),
    ("http://kiosk.localhost", "loopback"),
    ("ftp://192.168.1.10", "invalid"), ("192.168.1.10:8000", "invalid"), ("http://", "invalid"),
    ("http://host:99999", "invalid"), ("http://host/?a=1", "invalid"),
    ("http://192.168.1.10:8000", None), ("https://hotro.phuong-an-bien.gov.vn", None),
    ("https://city.example.vn/an-bien", None),
])
def test_public_url_problem(value, problem):
    assert public_url_problem(value) == problem


def test_public_url_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLIC_URL", PHONE_BASE)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})
    assert app.config["PUBLIC_URL"] == PHONE_BASE


@pytest.fixture
def public_client(app):
    app.config["PUBLIC_URL"] = PHONE_BASE + "/"
    return app.test_client()


def test_api_status_url_uses_public_url(app, public_client, kiosk_token):
    response = public_client.post("/api/v1/tickets", json={"service": "vneid"},
                                  headers={"Authorization": f"Bearer {kiosk_token}"})
    status_url = response.get_json()["status_url"]
    assert re.fullmatch(re.escape(PHONE_BASE) + r"/t/[\w-]+", status_url)
    # and that address really is the ticket's phone page
    assert public_client.get(status_url.removeprefix(PHONE_BASE)).status_code == 200


def test_api_status_url_falls_back_to_the_request_address(client, kiosk_token):
    response = client.post("/api/v1/tickets", json={"service": "vneid"},
                           headers={"Authorization": f"Bearer {kiosk_token}"},
                           base_url="http://10.0.0.5:8000")
    assert response.get_json()["status_url"].startswith("http://10.0.0.5:8000/t/")


def test_kiosk_ticket_qr_codes_encode_public_url(app, client, paired):
    app.config["PUBLIC_URL"] = PHONE_BASE
    response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    token = response.headers["Location"].split("/kiosk/ticket/")[1].split("?")[0]
    # the printable ticket's QR is labelled with the address it encodes
    assert f'aria-label="{PHONE_BASE}/t/{token}"' in page
    assert "localhost" not in page


def test_a_path_prefix_in_public_url_is_kept(app, kiosk_token):
    app.config["PUBLIC_URL"] = "https://city.example.vn/an-bien"
    response = app.test_client().post("/api/v1/tickets", json={"service": "vneid"},
                                      headers={"Authorization": f"Bearer {kiosk_token}"})
    assert response.get_json()["status_url"].startswith("https://city.example.vn/an-bien/t/")


@pytest.mark.parametrize("value,shown", [
    (None, "Chưa đặt PUBLIC_URL"),
    ("http://localhost:8000", "trỏ tới chính máy chủ (localhost)"),
    ("not a url", "không phải một địa chỉ http(s) hợp lệ"),
])
def test_admin_overview_warns_when_phones_cannot_reach_the_links(app, demo, login, value, shown):
    app.config["PUBLIC_URL"] = value
    html = login("admin").get("/admin").get_data(as_text=True)
    assert "public-url-warning" in html and shown in html


def test_admin_overview_is_quiet_when_public_url_is_reachable(app, demo, login):
    app.config["PUBLIC_URL"] = PHONE_BASE
    html = login("admin").get("/admin").get_data(as_text=True)
    assert "public-url-warning" not in html


def test_healthz_says_whether_public_url_is_fit(app, client):
    assert client.get("/healthz").get_json()["public_url"] == "unset"
    app.config["PUBLIC_URL"] = "http://127.0.0.1:8000"
    assert client.get("/healthz").get_json()["public_url"] == "loopback"
    app.config["PUBLIC_URL"] = PHONE_BASE
    assert client.get("/healthz").get_json()["public_url"] == "ok"
