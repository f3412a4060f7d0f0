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


def _log_concurrently(base, tokens) -> list:
    host, errors = urlsplit(base).netloc, []
    deadline = time.monotonic() + 120

    def worker(n):
        conn = http.client.HTTPConnection(host, timeout=60)
        for i in range(PER_THREAD):
            if time.monotonic() > deadline:
                break
            body = json.dumps({"category": CATEGORIES[(n + i) % 4], "outcome": "done",
                               "gender": "female" if i % 2 else "male"})
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


def _run_and_check(url, make_app):
    flask_cli(url, "seed-demo")
    tokens = [flask_cli(url, "create-token", user).strip().splitlines()[-1]
              for user in ("canbo", "doanvien")]
    with gunicorn(url, workers=4, threads=4) as base:
        assert _log_concurrently(base, tokens) == []
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
