"""The bare baselines of bench/load.py: plain Flask + Flask-SQLAlchemy, no request hooks.

    BARE_DATABASE_URL=sqlite:////tmp/x/bare.sqlite3 gunicorn -c gunicorn.conf.py bench.bare_app:app

What the stack itself costs, under the same gunicorn as the product: a small JSON read, one
committed insert, and the four statements of issuing a ticket (a count, a counter upsert, two
inserts) in one commit. Only the SQLite connection is set up like the product's (WAL, busy
timeout, BEGIN IMMEDIATE for a POST): without it several workers writing fail at once.
"""
import os
import sqlite3
from datetime import UTC, date, datetime

from flask import Flask, has_request_context, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Date, DateTime, Integer, String, event, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

BUSY_TIMEOUT_MS = 5000  # the product's SQLITE_BUSY_TIMEOUT_MS


class Base(DeclarativeBase):
    """Declarative base of the bare tables."""


db = SQLAlchemy(model_class=Base)


class BareRow(db.Model):
    """One inserted row (the bare insert, and the four statements' ticket)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    number: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=lambda: datetime.now(UTC))


class BareEvent(db.Model):
    """The second insert of the four statements (the ticket's event)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))


class BareCounter(db.Model):
    """The day's counter that the four statements upsert."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    """WAL, NORMAL sync and a busy timeout, as the product's SQLite connections have."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    """Take SQLite's write lock up front in a POST (a read that later writes cannot wait)."""
    if conn.dialect.name == "sqlite":
        writes = has_request_context() and request.method == "POST"
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_app(url: str | None = None) -> Flask:
    """Build the bare app on BARE_DATABASE_URL (or `url`)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ["BARE_DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as the product's
    db.init_app(app)

    @app.get("/bare/json")
    def bare_json():
        """Answer a small JSON object: the bare read."""
        return jsonify({"site": "DEMO", "waiting": [{"service": "vneid", "count": 3}],
                        "serving": [], "updated_at": datetime.now(UTC).isoformat()})

    @app.post("/bare/insert")
    def bare_insert():
        """Insert one row and commit: the bare insert."""
        row = BareRow(day=date.today(), label="bare")
        db.session.add(row)
        db.session.commit()
        return jsonify({"id": row.id}), 201

    @app.post("/bare/four")
    def bare_four():
        """A count, a counter upsert, two inserts, one commit: a ticket's statements, bare."""
        today = date.today()
        waiting = db.session.execute(
            db.select(func.count()).select_from(BareRow).where(BareRow.day == today)).scalar_one()
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        number = db.session.execute(
            insert(BareCounter).values(day=today, last_number=1)
            .on_conflict_do_update(index_elements=["day"],
                                   set_={"last_number": BareCounter.last_number + 1})
            .returning(BareCounter.last_number)).scalar_one()
        row = BareRow(day=today, number=number, label=f"A{number:03d}")
        db.session.add(row)
        db.session.flush()
        db.session.add(BareEvent(row_id=row.id, kind="issued"))
        db.session.commit()
        return jsonify({"id": row.id, "number": number, "ahead": waiting}), 201

    return app


def init_db(url: str) -> None:
    """Create the bare tables afresh (a benchmark helper: no migrations for three tables)."""
    app = create_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()


app = create_app() if os.environ.get("BARE_DATABASE_URL") else None
