"""Request ids, JSON log lines, /metrics access, versioned static addresses, trusted proxies."""
import hashlib
import json
import logging
import re

import pytest

from kiosk.proxy import TrustedProxyFix


def metric(text: str, name: str, **labels) -> float:
    """Read one sample of the Prometheus text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    match = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def test_metrics_from_the_lan_and_not_from_outside(app, client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.1.23"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "2001:db8::1"}).status_code == 404


def test_metrics_token_opens_them_from_anywhere(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-metrics-token"
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    ok = client.get("/metrics", environ_base=outside,
                    headers={"Authorization": "Bearer s3cret-metrics-token"})
    assert ok.status_code == 200 and b"kiosk_http_requests_total" in ok.data
    wrong = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 404


def test_tickets_requests_and_database_errors_are_counted(app, client, kiosk_token):
    before = client.get("/metrics").get_data(as_text=True)
    for _ in range(3):
        response = client.post("/api/v1/tickets", json={"service": "vneid"},
                               headers={"Authorization": f"Bearer {kiosk_token}"})
        assert response.status_code == 201
    client.get("/t/not-a-real-token")
    after = client.get("/metrics").get_data(as_text=True)
    assert metric(after, "kiosk_tickets_issued_total", site="DEMO") - \
        metric(before, "kiosk_tickets_issued_total", site="DEMO") == 3
    assert metric(after, "kiosk_http_requests_total", method="POST", route="/api/v1/tickets",
                  status="201") - metric(before, "kiosk_http_requests_total", method="POST",
                                         route="/api/v1/tickets", status="201") == 3
    # the route is the rule: a token never becomes a label
    assert "not-a-real-token" not in after
    assert metric(after, "kiosk_http_requests_total", method="GET", route="/t/<token>", status="404") >= 1


def test_a_database_outage_is_counted(make_app):
    app = make_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none", "SECRET_KEY": "x"})
    client = app.test_client()
    before = metric(client.get("/metrics").get_data(as_text=True), "kiosk_database_errors_total",
                    kind="outage")
    assert client.get("/api/v1/queue?site=DEMO").status_code == 503
    after = metric(client.get("/metrics").get_data(as_text=True), "kiosk_database_errors_total",
                   kind="outage")
    assert after - before == 1


def test_request_id_is_taken_from_the_proxy_or_made(client):
    made = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/healthz", headers={"X-Request-ID": "abcdef0123456789"}).headers["X-Request-ID"] == "abcdef0123456789"
    forged = client.get("/healthz", headers={"X-Request-ID": "x\"; drop"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_json_log_lines_name_the_route_never_the_token(database_url, make_app, capsys):
    app = make_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "LOG_FORMAT": "json"})
    try:
        client = app.test_client()
        client.get("/t/secret-ticket-token?name=Nguy%E1%BB%85n", headers={"X-Request-ID": "rid-0123456789"})
        app.logger.warning("something to say")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    finally:
        for logger in (app.logger, logging.getLogger("kiosk.access")):
            logger.handlers.clear()
    access = [line for line in lines if line.get("logger") == "kiosk.access"]
    assert access and access[0]["route"] == "/t/<token>" and access[0]["status"] == 404
    assert access[0]["request_id"] == "rid-0123456789" and access[0]["duration_ms"] >= 0
    text = json.dumps(lines)
    assert "secret-ticket-token" not in text and "Nguy" not in text and "127.0.0.1" not in text
    assert any(line["message"] == "something to say" and line["level"] == "WARNING" for line in lines)


def test_static_addresses_carry_the_content_hash_and_are_kept_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/css/base\.css\?v=([0-9a-f]{12}))"', html)
    assert href, html[:500]
    with client.get("/static/css/base.css") as plain:
        assert href.group(2) == hashlib.sha256(plain.data).hexdigest()[:12]
        assert plain.headers["Cache-Control"] == "no-cache"
    with client.get(href.group(1)) as versioned:
        assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def echo_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['REMOTE_ADDR']} {environ['wsgi.url_scheme']}".encode()]


@pytest.mark.parametrize("peer,expected", [
    ("127.0.0.1", b"203.0.113.5 https"),     # from nginx: believed
    ("192.168.1.50", b"192.168.1.50 http"),  # straight to gunicorn: not believed
])
def test_forwarded_headers_are_believed_only_from_the_proxy(peer, expected):
    from werkzeug.test import Client

    client = Client(TrustedProxyFix(echo_app, 1, "127.0.0.1, 10.0.0.0/24"))
    response = client.get("/", environ_base={"REMOTE_ADDR": peer},
                          headers={"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"})
    assert response.data == expected
