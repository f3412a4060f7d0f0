"""Assists logged at once by several helpers through a 4-worker gunicorn keep the summaries
exact (their increments add up to a rebuild from the log)."""
import http.client
import json
import shutil
import threading
import time
from urllib.parse import urlsplit

import pytest

from kiosk.extensions import db
from tests.conftest import truncate_all
from tests.live import flask_cli, gunicorn
from tests.reports.test_summary import both_equal_scratch

pytestmark = pytest.mark.slow
THREADS, PER_THREAD = 8, 15
CATEGORIES = ("vneid", "apps", "account", "payment")


def _log_concurrently(base, tokens, tickets) -> list:
    """Log from THREADS threads at once; odd threads log for shared tickets (several assists of
    one visit at the same instant: the visit must still count once)."""
    host, errors = urlsplit(base).netloc, []
    deadline = time.monotonic() + 120

    def worker(n):
        conn = http.client.HTTPConnection(host, timeout=60)
        for i in range(PER_THREAD):
            if time.monotonic() > deadline:
                break
            fields = {"category": CATEGORIES[(n + i) % 4], "outcome": "done",
                      "gender": "female" if i % 2 else "male"}
            if n % 2:
                fields["ticket_id"] = tickets[i % len(tickets)]
            body = json.dumps(fields)
            for _attempt in range(20):  # a 503 stored nothing: a client tries again
                conn.request("POST", "/api/v1/assists", body=body, headers={
                    "Authorization": f"Bearer {tokens[n % len(tokens)]}",
                    "Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                if response.status != 503:
                    break
                time.sleep(0.2)
            if response.status != 201:
                errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _served_tickets(base, staff, kiosk, count=3) -> list[int]:
    """Issue, call and finish `count` tickets at desk 1; return their ids."""
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)

    def post(path, token, payload=None):
        conn.request("POST", path, body=json.dumps(payload or {}), headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        return json.loads(data) if data else None
    conn.request("GET", "/api/v1/desks", headers={"Authorization": f"Bearer {staff}"})
    desk = json.loads(conn.getresponse().read())[0]["id"]
    ids = []
    for _ in range(count):
        post("/api/v1/tickets", kiosk, {"service": "vneid"})
        ticket = post(f"/api/v1/desks/{desk}/call-next", staff)["ticket"]
        post(f"/api/v1/tickets/{ticket['id']}/finish", staff)
        ids.append(ticket["id"])
    conn.close()
    return ids


def _run_and_check(url, make_app):
    flask_cli(url, "seed-demo")
    tokens = [flask_cli(url, "create-token", user).strip().splitlines()[-1]
              for user in ("canbo", "doanvien")]
    kiosk = flask_cli(url, "create-kiosk", "--site", "DEMO", "--name", "K").strip().splitlines()[-1]
    with gunicorn(url, workers=4, threads=4) as base:
        tickets = _served_tickets(base, tokens[0], kiosk)
        assert _log_concurrently(base, tokens, tickets) == []
    app = make_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        from kiosk.assists.models import Assist
        assert db.session.execute(db.select(db.func.count()).select_from(Assist)).scalar_one() \
            == THREADS * PER_THREAD
        assert both_equal_scratch()


def test_concurrent_logging_keeps_summary_exact_on_sqlite(tmp_path, sqlite_template, make_app):
    path = tmp_path / "summary.sqlite3"
    shutil.copy(sqlite_template, path)
    _run_and_check(f"sqlite:///{path}", make_app)


def test_concurrent_logging_keeps_summary_exact_on_postgresql(pg_migrated, make_app):
    truncate_all(pg_migrated)
    try:
        _run_and_check(pg_migrated, make_app)
    finally:
        truncate_all(pg_migrated)
