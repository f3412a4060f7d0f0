"""Flask extensions, created unbound and bound to the app in create_app()."""
import sqlite3

from flask import has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

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


_busy_timeout_ms = 15000


def set_sqlite_busy_timeout(ms: int) -> None:
    """Set the busy timeout applied to new SQLite connections."""
    global _busy_timeout_ms
    _busy_timeout_ms = int(ms)


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    """Start SQLite write transactions with BEGIN IMMEDIATE.

    A deferred transaction that reads first and writes later cannot wait for another
    worker's write lock (SQLite answers SQLITE_BUSY at once), so every request that may
    write (POST, PUT, PATCH, DELETE) takes the lock up front and waits its turn; reads (GET)
    and the CLI start deferred transactions.
    """
    if conn.dialect.name != "sqlite":
        return
    if has_request_context() and request.method not in READ_METHODS:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
