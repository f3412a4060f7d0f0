"""One centre's box as deploy/install.sh sets it up: nginx on loopback in front of gunicorn.

nginx serves static files itself (a year's cache on versioned names), proxies the rest with the
forwarded headers, logs no ticket token; the app sees each client's own address (the sign-in
throttle), builds phone links on PUBLIC_URL, and a forged X-Forwarded-For changes nothing.
"""
import json
import re
import subprocess
import time

import pytest

from tests.deploy.conftest import ROOT, Client, nginx, render_install, require_nginx
from tests.live import flask_cli, free_port, gunicorn

pytestmark = pytest.mark.slow
PUBLIC = "http://192.0.2.10"  # what phones would use; documentation range, never contacted


@pytest.fixture(scope="module")
def centre(live_sqlite, tmp_path_factory):
    """gunicorn (JSON logs, behind one proxy) and nginx from the rendered site file."""
    require_nginx()
    dest = tmp_path_factory.mktemp("centre")
    kiosk_token = flask_cli(live_sqlite, "create-kiosk", "--site", "DEMO", "--name", "K").strip().splitlines()[-1]
    env = {"PROXY_COUNT": "1", "FORWARDED_ALLOW_IPS": "127.0.0.1", "PUBLIC_URL": PUBLIC,
           "LOG_FORMAT": "json"}
    with gunicorn(live_sqlite, workers=2, extra_env=env) as app_base:
        app_port = int(app_base.rsplit(":", 1)[1])
        port = free_port()
        render_install(dest, "--upstream", f"127.0.0.1:{app_port}", "--listen", f"127.0.0.1:{port}",
                       "--public-url", PUBLIC)
        with nginx(dest, port):
            yield {"base": f"http://127.0.0.1:{port}", "app": app_base, "dest": dest,
                   "kiosk": kiosk_token, "app_log": ROOT / "test-artifacts" / f"gunicorn-{app_port}.log"}


def app_log_lines(centre) -> list[dict]:
    lines = []
    for raw in centre["app_log"].read_text().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            pass
    return lines


def test_pages_come_through_nginx_in_vietnamese(centre):
    client = Client(centre["base"])
    for path in ("/", "/kiosk", "/login", "/display?site=DEMO"):
        status, headers, body = client.get(path)
        assert status == 200, path
        assert b'lang="vi"' in body and headers["Server"].startswith("nginx")
        assert headers["Content-Security-Policy"]  # the app's own headers pass through


def test_static_files_are_served_by_nginx_with_a_year_cache_on_versioned_names(centre):
    client = Client(centre["base"])
    _status, _headers, page = client.get("/kiosk")
    versioned = re.search(rb'href="(/static/css/[^"]+\?v=[0-9a-f]{12})"', page).group(1).decode()
    status, headers, body = client.get(versioned)
    assert status == 200 and "text/css" in headers["Content-Type"]
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body == (ROOT / versioned.split("?")[0].lstrip("/")).read_bytes()
    status, headers, _body = client.get(versioned.split("?")[0])
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    # a file the page names by itself (a font) is revalidated, not kept blindly
    status, headers, _body = client.get("/static/vendor/be-vietnam-pro/fonts.css")
    assert status == 200 and headers["Cache-Control"] == "no-cache" and headers["ETag"]
    # gunicorn never saw a static request: nginx answered them from disk
    time.sleep(0.5)
    routes = {line.get("route") for line in app_log_lines(centre)}
    assert "/kiosk" in routes and "/static/<path:filename>" not in routes


def test_the_api_through_nginx_builds_phone_links_on_public_url(centre):
    client = Client(centre["base"])
    status, _headers, body = client.post_json("/api/v1/tickets", {"service": "vneid"}, centre["kiosk"])
    ticket = json.loads(body)
    assert status == 201 and ticket["status_url"].startswith(PUBLIC + "/t/")
    status, _headers, body = client.get("/api/v1/queue?site=DEMO")
    assert status == 200 and json.loads(body)["site"] == "DEMO"
    token = ticket["status_url"].rsplit("/", 1)[1]
    status, _h, _b = client.get(f"/t/{token}")
    assert status == 200
    status, _h, _b = client.get(f"/t/{token}/status.json")
    assert status == 200
    # nginx's access log (what logrotate keeps) names the route, never the token
    time.sleep(0.3)
    access = (centre["dest"] / "var/log/hotro-so/access.log").read_text()
    assert "/t/REDACTED" in access and token not in access
    assert token not in centre["app_log"].read_text()


def test_each_request_carries_nginx_request_id_into_the_app_log(centre):
    client = Client(centre["base"])
    status, headers, _body = client.get("/kiosk")
    request_id = headers["X-Request-ID"]
    assert status == 200 and re.fullmatch(r"[0-9a-f]{32}", request_id)
    time.sleep(0.5)
    (line,) = [entry for entry in app_log_lines(centre) if entry.get("request_id") == request_id]
    assert line["route"] == "/kiosk" and line["status"] == 200 and line["duration_ms"] >= 0
    assert f"rid={request_id}" in (centre["dest"] / "var/log/hotro-so/access.log").read_text()


def failed_sign_in(client: Client, username: str, forged_for: str | None = None) -> int | str:
    """Try a wrong password: "wrong" when the form says so, else the status (429: held back)."""
    token = client.csrf_token("/login")
    headers = {"X-Forwarded-For": forged_for} if forged_for else {}
    status, _headers, body = client.post_form("/login", {
        "csrf_token": token, "username": username, "password": "wrong-password"}, headers=headers)
    return "wrong" if status == 400 and "mật khẩu không đúng" in body.decode() else status


def test_the_sign_in_throttle_sees_each_client_address_through_nginx(centre):
    """Ten failures from one address hold that address back (429); another address signs in
    freely, and the held-back one cannot slip out with a forged X-Forwarded-For."""
    attacker = Client(centre["base"], source="127.0.0.2")
    statuses = [failed_sign_in(attacker, f"nobody{i}") for i in range(10)]
    assert statuses == ["wrong"] * 10
    assert failed_sign_in(attacker, "nobody-else") == 429
    assert failed_sign_in(attacker, "nobody-forged", forged_for="127.0.0.9") == 429
    officer = Client(centre["base"], source="127.0.0.3")
    assert failed_sign_in(officer, "someone") == "wrong"
    token = officer.csrf_token("/login")
    status, headers, _body = officer.post_form("/login", {
        "csrf_token": token, "username": "canbo", "password": "canbo-demo"})
    assert status == 302


def test_metrics_through_nginx_count_requests_and_tickets(centre):
    client = Client(centre["base"])
    status, headers, body = client.get("/metrics")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    issued = re.search(r'^kiosk_tickets_issued_total\{site="DEMO"\} (\d+)', text, re.M)
    assert issued and int(float(issued.group(1))) >= 1
    assert re.search(r'^kiosk_http_requests_total\{method="GET",route="/kiosk",status="200"\}', text, re.M)
    assert "/t/" not in "".join(line for line in text.splitlines() if "route=" in line and "<token>" not in line)


def test_smoke_check_passes_through_nginx(centre):
    result = subprocess.run([str(ROOT / "deploy" / "smoke.sh"), centre["base"]],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every check passed" in result.stdout


@pytest.fixture(scope="module")
def tls_centre(live_sqlite, tmp_path_factory):
    """nginx with a self-signed certificate: https, and http that only redirects."""
    require_nginx()
    dest = tmp_path_factory.mktemp("tls")
    cert, key = dest / "cert.pem", dest / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=hotro.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    with gunicorn(live_sqlite, workers=1, extra_env={"PROXY_COUNT": "1"}) as app_base:
        app_port = int(app_base.rsplit(":", 1)[1])
        port, tls_port = free_port(), free_port()
        render_install(dest, "--upstream", f"127.0.0.1:{app_port}", "--listen", f"127.0.0.1:{port}",
                       "--listen-tls", f"127.0.0.1:{tls_port}", "--tls-cert", str(cert),
                       "--tls-key", str(key))
        with nginx(dest, tls_port):
            yield {"http": f"http://127.0.0.1:{port}", "https": f"https://127.0.0.1:{tls_port}",
                   "dest": dest, "tls_port": tls_port}


def test_tls_is_terminated_by_nginx_and_http_redirects(tls_centre):
    status, headers, _body = Client(tls_centre["http"]).get("/kiosk?x=1")
    assert status == 308
    assert headers["Location"] == f"https://127.0.0.1:{tls_centre['tls_port']}/kiosk?x=1"
    client = Client(tls_centre["https"])
    status, headers, body = client.get("/login")
    assert status == 200 and b'lang="vi"' in body
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    # the app knows it is behind https (X-Forwarded-Proto): links it builds say https
    status, headers, _body = client.get("/admin")
    assert status == 302 and headers["Location"].startswith("/login")
    env = (tls_centre["dest"] / "etc/hotro-so/env").read_text()
    assert "SESSION_COOKIE_SECURE=1" in env


def test_https_phone_links_without_public_url_follow_the_forwarded_scheme(tls_centre, live_sqlite):
    kiosk = flask_cli(live_sqlite, "create-kiosk", "--site", "DEMO", "--name", "TLS").strip().splitlines()[-1]
    status, _headers, body = Client(tls_centre["https"]).post_json("/api/v1/tickets", {"service": "apps"}, kiosk)
    assert status == 201
    assert json.loads(body)["status_url"].startswith(f"https://127.0.0.1:{tls_centre['tls_port']}/t/")
