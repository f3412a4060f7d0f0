"""1,000 tickets from 20 concurrent clients against a 4-worker gunicorn: no duplicate, no gap."""
import http.client
import json
import shutil
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from tests.conftest import truncate_all
from tests.live import flask_cli, gunicorn

pytestmark = pytest.mark.slow
TICKETS, CLIENTS = 1000, 20
SERVICES = ("vneid", "dvc-submit", "payment")


def _post(conn, body: str, token: str) -> tuple[int, bytes]:
    """POST a ticket; a 503 stored nothing, so try again shortly, as the kiosk does."""
    for _attempt in range(20):
        conn.request("POST", "/api/v1/tickets", body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        if response.status != 503:
            break
        time.sleep(0.2)
    return response.status, payload


def _hammer(base: str, token: str) -> tuple[list, list]:
    """Issue TICKETS tickets from CLIENTS threads (keep-alive connections); return results."""
    results, errors = [], []
    lock = threading.Lock()
    counter = iter(range(TICKETS))
    host = urlsplit(base).netloc
    deadline = time.monotonic() + 240

    def worker():
        conn = http.client.HTTPConnection(host, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = json.dumps({"service": SERVICES[i % len(SERVICES)], "priority": i % 7 == 0})
            try:
                status, payload = _post(conn, body, token)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection(host, timeout=60)
                continue
            with lock:
                if status == 201:
                    results.append(json.loads(payload))
                else:
                    errors.append((status, payload[:200]))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _check(results, errors):
    assert errors == []
    assert len(results) == TICKETS
    assert len({r["number"] for r in results}) == TICKETS          # every number unique
    assert len({r["id"] for r in results}) == TICKETS
    by_service = defaultdict(list)
    for r in results:
        by_service[r["service"]].append(int(r["number"][1:]))
    for service, numbers in by_service.items():                     # sequences without gaps
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), service


def _run(database_url):
    flask_cli(database_url, "seed-demo")
    token = flask_cli(database_url, "create-kiosk", "--site", "DEMO", "--name", "Tải").strip().splitlines()[-1]
    with gunicorn(database_url, workers=4, threads=4,
                  extra_env={"KIOSK_RATE_PER_MINUTE": "1000000"}) as base:
        return _hammer(base, token)


def test_concurrent_issue_on_sqlite(tmp_path, sqlite_template):
    path = tmp_path / "load.sqlite3"
    shutil.copy(sqlite_template, path)
    _check(*_run(f"sqlite:///{path}"))


def test_concurrent_issue_on_postgresql(pg_migrated):
    truncate_all(pg_migrated)
    try:
        _check(*_run(pg_migrated))
    finally:
        truncate_all(pg_migrated)
