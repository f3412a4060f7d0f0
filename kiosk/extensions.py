"""Flask extensions, created unbound and bound to the app in create_app()."""
import sqlite3
import threading
from contextlib import contextmanager

from flask import current_app, g, has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

READ_METHODS = ("GET", "HEAD", "OPTIONS")


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    """Put SQLite in WAL mode with a busy timeout and let SQLAlchemy emit BEGIN itself."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Autocommit at the driver level: the "begin" hook below decides how a transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_busy_timeout_ms}")
    cursor.close()


_busy_timeout_ms = 5000


def set_sqlite_busy_timeout(ms: int) -> None:
    """Set the busy timeout applied to new SQLite connections."""
    global _busy_timeout_ms
    _busy_timeout_ms = int(ms)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    """Start SQLite write transactions with BEGIN IMMEDIATE.

    A deferred transaction that reads first and writes later cannot wait for another
    worker's write lock (SQLite answers SQLITE_BUSY at once), so every request that may
    write (POST, PUT, PATCH, DELETE) takes the lock up front and waits its turn, and so does
    a connection marked `write=True` (see separate_write); reads (GET) and the CLI start
    deferred transactions.
    """
    if conn.dialect.name != "sqlite":
        return
    if conn.get_execution_options().get("write") or (has_request_context() and _request_writes()):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def _request_writes() -> bool:
    """Tell whether the request's next transaction may write (takes the lock up front)."""
    if request.method in READ_METHODS:
        return False
    if g.get("writing"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "reads_first", False)


def reads_first(view):
    """Mark a hot writing view whose reads run before it takes SQLite's write lock: its
    transactions start deferred, and only its write_phase() holds the lock."""
    view.reads_first = True
    return view


@contextmanager
def write_phase():
    """Run the block's statements in one write transaction, committed on leaving it.

    SQLite: the reads so far end (a deferred transaction cannot wait for the write lock once
    another worker has written), then BEGIN IMMEDIATE takes the lock for the writes alone, so
    the other workers' reads, checks and answers run meanwhile. Loaded rows stay loaded (no
    expiry at these commits): the answer is built from them without reading them again.
    PostgreSQL: one more transaction boundary, nothing else (its locks are per row).
    """
    session = db.session()  # the request's Session itself (scoped_session only proxies it)
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        if session.in_transaction():
            session.commit()
        g.writing = True
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        g.writing = False
        session.expire_on_commit = keep


@contextmanager
def separate_write():
    """Yield a session of its own for one short write, committed on leaving the block.

    A GET that must leave a trace (the audit row of an export) writes through this session,
    so its own read transaction never upgrades to a write; on SQLite the write starts with
    BEGIN IMMEDIATE and waits its turn like a POST.
    """
    with Session(db.engine.execution_options(write=True)) as session, session.begin():
        yield session


@contextmanager
def sqlite_busy_timeout(conn, ms: int):
    """Wait at most ms for SQLite's lock on this connection, then restore the usual timeout."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection  # the driver connection: no transaction begins
    raw.execute(f"PRAGMA busy_timeout={int(ms)}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout={_busy_timeout_ms}")


def allow_long_statements(connection) -> None:
    """Lift PostgreSQL's statement timeout for this transaction: the web's 10 s bound is for
    requests, not for a migration, a rebuild of a city's summaries or a bulk load."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")


class DatabaseBusy(Exception):
    """Every write slot of this worker is taken by requests waiting for the database."""


_write_slots: threading.BoundedSemaphore | None = None
_write_slots_lock = threading.Lock()


def take_write_slot() -> None:
    """Let a writing request in only while a write slot is free (wait briefly), else 503.

    When the database is locked, writers wait up to the busy or lock timeout each; without a
    bound they would hold every gunicorn thread and the board's polls and /healthz would queue
    behind them. WRITE_SLOTS (below gunicorn's threads) keeps a thread free for reads.
    """
    global _write_slots
    if request.method in READ_METHODS:
        return
    with _write_slots_lock:
        if _write_slots is None:
            _write_slots = threading.BoundedSemaphore(current_app.config["WRITE_SLOTS"])
    if not _write_slots.acquire(timeout=current_app.config["WRITE_SLOT_WAIT_MS"] / 1000):
        raise DatabaseBusy("every write slot of this worker is waiting for the database")
    g.write_slot = True


def release_write_slot(_exc=None) -> None:
    """Give the request's write slot back."""
    if g.pop("write_slot", False):
        _write_slots.release()


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, minus two costs every poll paid: its serializer is built
    once per key set (not per request), and a request with no cookie at all opens an empty
    session without parsing any (a board or a phone polls without one)."""

    _serializers: dict = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app, request):
        if app.secret_key and not request.environ.get("HTTP_COOKIE"):
            return self.session_class()
        return super().open_session(app, request)


def end_session_quietly(_exc=None) -> None:
    """End the request's session before Flask-SQLAlchemy does, surviving a lost connection.

    The answer is already made when the app context ends; if the database dropped the
    connection meanwhile (a restart, pg_terminate_backend), the closing ROLLBACK fails, and
    Flask-SQLAlchemy's own teardown would turn a finished request into a 500. The failed
    connection is invalidated by SQLAlchemy (a disconnect), so forgetting the session is enough.
    """
    try:
        db.session.remove()
    except SQLAlchemyError as exc:
        current_app.logger.warning("session closed on a lost connection: %s", exc.__class__.__name__)
        db.session.registry.clear()
