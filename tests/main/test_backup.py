"""`flask backup` copies a consistent database while tickets are being issued; `restore` puts it back."""
import http.client
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import closing
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import PG_URL, postgres_unavailable
from tests.live import ROOT, flask_cli, gunicorn

pytestmark = pytest.mark.slow
SERVICES = ("vneid", "payment")


class TicketLoad:
    """Issue tickets from a few threads until stopped; remember every acknowledged one."""

    def __init__(self, base: str, token: str, clients: int = 4):
        self.host, self.token = urlsplit(base).netloc, token
        self.acknowledged, self.errors = [], []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.work, args=(i,)) for i in range(clients)]

    def work(self, i):
        conn = http.client.HTTPConnection(self.host, timeout=30)
        n = 0
        while not self.stop.is_set() and n < 2000:
            n += 1
            body = json.dumps({"service": SERVICES[(i + n) % 2]})
            conn.request("POST", "/api/v1/tickets", body=body, headers={
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            with self.lock:
                if response.status == 201:
                    self.acknowledged.append(json.loads(payload))
                elif response.status != 503:  # a 503 stored nothing: not acknowledged, not lost
                    self.errors.append((response.status, payload[:200]))
        conn.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def wait_for(self, count: int, limit: float = 60):
        deadline = time.monotonic() + limit
        while len(self.acknowledged) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.acknowledged) >= count, self.errors[:3]


def _tickets(url: str) -> dict[str, list[int]]:
    """Return {service code: sorted ticket numbers} read from a database."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.code, t.number FROM ticket t JOIN service s ON s.id = t.issued_service_id"))
        out = defaultdict(list)
        for code, number in rows:
            out[code].append(number)
        # every counter stands at its service's last ticket: no half-written issue
        counters = conn.execute(text(
            "SELECT count(*) FROM ticket_counter c WHERE c.last_number <> (SELECT max(t.number) "
            "FROM ticket t WHERE t.issued_service_id = c.service_id AND t.day = c.day)")).scalar()
    engine.dispose()
    assert counters == 0
    return {code: sorted(numbers) for code, numbers in out.items()}


def _live_versions(url: str) -> dict[int, int]:
    """Return {site id: live version} read from a database."""
    engine = create_engine(url)
    with engine.connect() as conn:
        versions = dict(conn.execute(text("SELECT id, live_version FROM site")).all())
    engine.dispose()
    return versions


def _restore_moves_versions_on(url: str, backup,
                               backup_versions: dict[int, int] | None = None) -> str:
    """Restore; check that every site's live version ends above any the screens could hold
    (the backup's are older than the live database's, so without the move a restored site
    would count up to an ETag a board already has)."""
    before = _live_versions(url)
    if backup_versions is not None:  # tickets were issued after the backup: it is behind
        assert max(backup_versions.values()) < max(before.values())
    out = flask_cli(url, "restore", str(backup), "--yes", process=True)
    after = _live_versions(url)
    assert after and min(after.values()) > max(before.values())
    return out


def _round_trip(url: str, backup_path):
    flask_cli(url, "seed-demo")
    token = flask_cli(url, "create-kiosk", "--site", "DEMO", "--name", "Sảnh").strip().splitlines()[-1]
    with gunicorn(url, workers=2, extra_env={"KIOSK_RATE_PER_MINUTE": "1000000"}) as base:
        with TicketLoad(base, token) as load:
            load.wait_for(40)
            out = flask_cli(url, "backup", str(backup_path), process=True)
            load.wait_for(len(load.acknowledged) + 40)
        assert load.errors == []
        acknowledged = len(load.acknowledged)
    assert "Backup written" in out
    return acknowledged


def _check_snapshot(saved: dict[str, list[int]], acknowledged: int):
    total = sum(len(n) for n in saved.values())
    assert 0 < total < acknowledged
    for code, numbers in saved.items():  # a snapshot: each service's numbers 1..k, no hole
        assert numbers == list(range(1, len(numbers) + 1)), code


def _issue_one(url: str) -> str:
    token = flask_cli(url, "create-kiosk", "--site", "DEMO", "--name", "Sau").strip().splitlines()[-1]
    with gunicorn(url, workers=1) as base:
        conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
        conn.request("POST", "/api/v1/tickets", body=json.dumps({"service": "vneid"}),
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        assert response.status == 201, payload
        return json.loads(payload)["number"]


def test_sqlite_backup_while_issuing_and_restore(tmp_path, sqlite_template):
    import shutil

    db_path = tmp_path / "live.sqlite3"
    shutil.copy(sqlite_template, db_path)
    url = f"sqlite:///{db_path}"
    backup = tmp_path / "backups" / "kiosk.sqlite3"
    acknowledged = _round_trip(url, backup)
    assert backup.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = _tickets(f"sqlite:///{backup}")
    _check_snapshot(saved, acknowledged)
    assert sum(len(n) for n in _tickets(url).values()) == acknowledged

    out = _restore_moves_versions_on(url, backup, _live_versions(f"sqlite:///{backup}"))
    assert "Restored" in out
    assert _tickets(url) == saved
    # Numbering goes on from the restored counter: the next vneid ticket follows the backup's last.
    assert _issue_one(url) == f"A{len(saved['vneid']) + 1:03d}"


def test_postgresql_backup_while_issuing_and_restore(tmp_path):
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    url = make_url(PG_URL).set(database="kiosk_backup_test").render_as_string(hide_password=False)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS kiosk_backup_test WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE kiosk_backup_test"))
    try:
        flask_cli(url, "db", "upgrade", process=True)
        backup = tmp_path / "kiosk.dump"
        acknowledged = _round_trip(url, backup)
        _check_snapshot(_tickets_after_restore(url, backup), acknowledged)
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS kiosk_backup_test WITH (FORCE)"))
        admin.dispose()


def _tickets_after_restore(url, backup):
    assert "Restored" in _restore_moves_versions_on(url, backup)
    saved = _tickets(url)
    assert _issue_one(url) == f"A{len(saved['vneid']) + 1:03d}"
    return saved


def _flask(url, *args, input_text=None):
    env = {"DATABASE_URL": url, "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          input=input_text, capture_output=True, text=True, timeout=60)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, sqlite_template):
    import shutil

    db_path = tmp_path / "live.sqlite3"
    shutil.copy(sqlite_template, db_path)
    url = f"sqlite:///{db_path}"
    flask_cli(url, "seed-demo")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    result = _flask(url, "restore", str(junk), "--yes")
    assert result.returncode != 0 and "not a database of this application" in result.stderr
    result = _flask(url, "restore", str(tmp_path / "missing"), "--yes")
    assert result.returncode != 0 and "does not exist" in result.stderr
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result = _flask(url, "restore", str(empty), "--yes")
    assert result.returncode != 0 and "not a database of this application" in result.stderr
    # Without --yes the warning is shown and "no" changes nothing.
    backup = tmp_path / "b.sqlite3"
    assert _flask(url, "backup", str(backup)).returncode == 0
    result = _flask(url, "restore", str(backup), input_text="n\n")
    assert result.returncode != 0 and "WARNING" in result.stderr and "cancelled" in result.stderr
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM user").fetchone()[0] == 5
