"""A locked, dropped or slow database is a 503 with Retry-After, never a 500 or a 15 s wait."""
import contextlib
import re
import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, event, text

from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from tests.conftest import count_rows


def _is_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


@contextlib.contextmanager
def locked(app):
    """Hold the database's write lock from another connection: BEGIN EXCLUSIVE on SQLite,
    LOCK TABLE ticket IN ACCESS EXCLUSIVE MODE on PostgreSQL."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if _is_sqlite(app):
        conn = sqlite3.connect(uri.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:
        engine = create_engine(uri)
        with engine.connect() as conn:
            conn.execute(text("LOCK TABLE ticket IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                conn.rollback()
        engine.dispose()


def _issue(client, token):
    started = time.monotonic()
    response = client.post("/api/v1/tickets", json={"service": "vneid"},
                           headers={"Authorization": f"Bearer {token}"})
    return response, time.monotonic() - started


def test_api_write_during_a_lock_is_503_with_retry_after(app, client, kiosk_token):
    with locked(app):
        response, seconds = _issue(client, kiosk_token)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"] == "5"
    assert seconds < 7  # busy timeout 5 s (SQLite), lock timeout 3 s (PostgreSQL)
    assert _issue(client, kiosk_token)[0].status_code == 201  # and it recovers


def test_kiosk_form_during_a_lock_shows_the_wait_page(app, client, paired):
    with locked(app):
        response = client.post("/kiosk/s/vneid/p/0", data={"skip": "1"},
                               headers={"Referer": "http://localhost/kiosk/s/vneid/p/0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "Xin chờ trong giây lát" in html
    # offline.js posts the kiosk's form again as soon as /healthz answers
    assert re.search(r'<form method="post" action="/kiosk/s/vneid/p/0" data-resubmit hidden>\s*'
                     r'<input type="hidden" name="skip" value="1">', html)
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # no inline script (CSP)
    assert client.post("/kiosk/s/vneid/p/0", data={"skip": "1"}).status_code == 302


def test_healthz_is_503_within_a_second_when_the_database_cannot_be_written(app, client):
    assert client.get("/healthz").status_code == 200
    with locked(app):
        started = time.monotonic()
        response = client.get("/healthz")
        seconds = time.monotonic() - started
    assert response.status_code == 503 and response.headers["Retry-After"]
    # The probe waits HEALTH_TIMEOUT_MS (0.8 s) for the lock; the rest is slack for a busy CI.
    assert seconds < 1.5
    assert client.get("/healthz").status_code == 200


@pytest.mark.own_app
def test_a_connection_dropped_mid_request_is_503(app, client, kiosk_token):
    if _is_sqlite(app):
        pytest.skip("PostgreSQL connections only")
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    @app.before_request
    def drop_my_connection():  # the fault: the server ends this request's session mid-way
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    response, _seconds = _issue(client, kiosk_token)
    killer.dispose()
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"]


@pytest.mark.own_app
def test_a_connection_dropped_after_the_answer_keeps_the_answer(app, client, kiosk_token):
    """The ticket is issued and answered; the connection dies before the request's session is
    closed (its ROLLBACK fails): still a 201, and the next request gets a new connection."""
    if _is_sqlite(app):
        pytest.skip("PostgreSQL connections only")
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    @app.after_request
    def drop_my_connection(response):  # the fault: after the answer, before the teardown
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return response

    response, _seconds = _issue(client, kiosk_token)
    assert response.status_code == 201 and response.get_json()["number"] == "A001"
    app.after_request_funcs[None].remove(drop_my_connection)
    again, _seconds = _issue(client, kiosk_token)
    killer.dispose()
    assert again.status_code == 201 and again.get_json()["number"] == "A002"


def test_postgresql_sessions_have_lock_and_statement_timeouts(app, make_app):
    if _is_sqlite(app):
        with app.app_context(), db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        return
    with app.app_context():
        assert db.session.execute(text("SHOW lock_timeout")).scalar_one() == "3s"
        assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "10s"
    tuned = make_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                      "PG_LOCK_TIMEOUT_MS": 1500, "PG_STATEMENT_TIMEOUT_MS": 4000})
    with tuned.app_context():
        assert db.session.execute(text("SHOW lock_timeout")).scalar_one() == "1500ms"
        assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "4s"


def test_sqlite_busy_timeout_is_configurable(app, make_app):
    if not _is_sqlite(app):
        pytest.skip("SQLite only")
    tuned = make_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                      "SQLITE_BUSY_TIMEOUT_MS": 1234})
    with tuned.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    make_app({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})  # back to the default


def test_audited_get_writes_in_its_own_transaction(app, client, demo, login):
    """Another worker commits between the contacts' read and the audit write: 200, audited.

    Written in the GET's own deferred read transaction, the insert fails at once (SQLite
    cannot upgrade a read snapshot older than the last commit)."""
    if not _is_sqlite(app):
        pytest.skip("the deferred-transaction upgrade is SQLite's failure")
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    fired = threading.Event()
    login("admin")
    with app.app_context():
        engine = db.engine

    def commit_elsewhere():
        other = sqlite3.connect(database, isolation_level=None, timeout=10)
        other.execute("UPDATE site SET name = name || ''")
        other.close()

    def other_worker_commits(conn, cursor, statement, *args):
        if not fired.is_set() and "FROM contact" in statement:
            fired.set()
            # "another worker" commits now, unless this connection already holds the write lock
            worker = threading.Thread(target=commit_elsewhere)
            worker.start()
            worker.join(0.5)
            threads.append(worker)

    threads = []
    event.listen(engine, "after_cursor_execute", other_worker_commits)
    try:
        response = client.get("/admin/contacts")
        body = response.get_data()
    finally:
        event.remove(engine, "after_cursor_execute", other_worker_commits)
        for worker in threads:
            worker.join()
    assert fired.is_set()
    assert response.status_code == 200, body[:300]
    assert count_rows(app, AuditEvent, action="contacts.view") == 1
