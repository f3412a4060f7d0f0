"""Fixtures for the reliability suites: seeded databases of their own and a gunicorn to break."""
import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import PG_URL, migrate_to_head, postgres_unavailable
from tests.live import ROOT, flask_cli, free_port


def pg_database(name: str) -> str:
    """A fresh, migrated PostgreSQL database `name` (dropped and re-created) on the test server."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    migrate_to_head(url, None)
    return url


def drop_pg_database(name: str) -> None:
    """Drop a database made by pg_database."""
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded_url(request, tmp_path, sqlite_template):
    """A migrated database with the demo site, on SQLite or on a PostgreSQL database of its own."""
    if request.param == "sqlite":
        path = tmp_path / "reliability.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        name = "hc_" + request.node.originalname.removeprefix("test_")[:40]
        url = pg_database(name)
        request.addfinalizer(lambda: drop_pg_database(name))
    flask_cli(url, "seed-demo")
    return url


class Server:
    """A gunicorn master we may kill (SIGKILL) and start again on the same port."""

    def __init__(self, database_url: str, workers: int = 2, threads: int = 4,
                 access_log: str = "/dev/null", extra_env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "live-test-secret",
                    "PORT": str(self.port), "WEB_CONCURRENCY": str(workers),
                    "GUNICORN_THREADS": str(threads), **(extra_env or {})}
        self.access_log = access_log
        self.proc = None
        self.log = open(ROOT / "test-artifacts" / f"gunicorn-reliability-{self.port}.log", "a")

    def start(self, wait: float = 30) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--access-logfile", self.access_log, "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + wait
        while not self.healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start (exit {self.proc.poll()})")
            time.sleep(0.2)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=3) as response:
                return response.status == 200
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, like a power cut."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


@contextlib.contextmanager
def serving(database_url: str, **kwargs):
    """Start a Server, yield it, stop it."""
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    server = Server(database_url, **kwargs)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def request(base: str, method: str, path: str, body=None, headers=None, timeout: float = 30):
    """Send one request; return (status, headers, parsed JSON or text, seconds)."""
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=timeout)
    started = time.monotonic()
    try:
        data = json.dumps(body) if body is not None else None
        conn.request(method, path, body=data, headers={
            **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        kind = response.getheader("Content-Type", "")
        payload = json.loads(raw) if "json" in kind and raw else raw.decode("utf-8", "replace")
        return response.status, dict(response.getheaders()), payload, time.monotonic() - started
    finally:
        conn.close()


def kiosk_token(database_url: str, name: str = "Kiosk") -> str:
    """Register a kiosk of DEMO; return its bearer token."""
    return flask_cli(database_url, "create-kiosk", "--site", "DEMO", "--name", name).strip().splitlines()[-1]


def staff_token(database_url: str, username: str = "canbo") -> str:
    """Create an API token for a demo user; return it."""
    return flask_cli(database_url, "create-token", username).strip().splitlines()[-1]
