"""Backing up and restoring the whole database while the app keeps serving.

SQLite: Python's binding of SQLite's online backup API copies a consistent snapshot page by page,
so tickets issued meanwhile are either wholly in the copy or wholly not. PostgreSQL: `pg_dump`
(custom format) reads one snapshot; `pg_restore` puts it back in a single transaction. After a
restore every site's live version moves past the replaced database's, so no screen keeps a
stale state under an ETag it already holds.
"""
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from kiosk.extensions import db


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def database_kind() -> str:
    """Return "sqlite" or "postgresql" for the configured database."""
    backend = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {backend} databases are not supported")
    return backend


def sqlite_path() -> Path:
    """Return the file of the configured SQLite database."""
    path = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not path or path == ":memory:":
        raise BackupError("the SQLite database is in memory: nothing to back up")
    return Path(path)


def libpq_url() -> str:
    """Return the configured PostgreSQL URL in the form pg_dump and pg_restore read."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database of this application."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (integrity check failed)")
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a database of this application ({exc})") from exc


def backup_to(target: Path) -> None:
    """Write a consistent copy of the database to `target` (replaced only once complete)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if database_kind() == "sqlite":
            source = sqlite_path()
            if not source.exists():
                raise BackupError(f"{source} does not exist")
            src = sqlite3.connect(source, timeout=30)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst, pages=1024)  # steps, so writers wait milliseconds, not the whole copy
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
                src.close()
            check_sqlite_file(tmp)
        else:
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={tmp}", f"--dbname={libpq_url()}"])
        os.chmod(tmp, 0o600)  # the log and the contacts are in it
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def restore_from(source: Path) -> None:
    """Replace every row of the database with the backup at `source`."""
    source = source.resolve()
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    db.session.remove()
    db.engine.dispose()
    if database_kind() == "sqlite":
        check_sqlite_file(source)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(sqlite_path(), timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    else:
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={libpq_url()}", str(source)])


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the database to PATH while the app keeps serving."""
    try:
        backup_to(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written: {path} ({path.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@with_appcontext
def restore_command(path, yes):
    """Replace ALL data in the database with the backup at PATH, then apply migrations."""
    from flask_migrate import upgrade

    kind = database_kind()
    where = sqlite_path() if kind == "sqlite" else make_url(libpq_url()).database
    click.echo(f"WARNING: every ticket, assist, user and setting now in the {kind} database "
               f"'{where}' will be replaced by the contents of {path}.", err=True)
    click.echo("Stop the app servers first; take a backup of the current data if you may need it.",
               err=True)
    if not yes and not click.confirm("Restore now?", default=False):
        raise click.ClickException("restore cancelled; nothing was changed")
    newest = newest_live_version()
    try:
        restore_from(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    upgrade()  # a backup from an older version is brought up to this code's schema
    move_live_versions_past(newest)
    click.echo(f"Restored from {path}.")


def newest_live_version() -> int:
    """Return the highest live version of the database about to be replaced (0 when none can
    be read: an empty or older database)."""
    from kiosk.queue.models import Site

    try:
        return db.session.execute(db.select(db.func.max(Site.live_version))).scalar() or 0
    except SQLAlchemyError:
        db.session.rollback()
        return 0
    finally:
        db.session.remove()


def move_live_versions_past(newest: int) -> None:
    """Put every restored site's live version above any a screen may still hold.

    A board or a phone keeps the ETag of its last answer (site, live version, day). The
    backup's versions are older, so without this a restored site would count up to a version a
    screen already holds and be answered "304, unchanged" with the state from before.
    """
    from kiosk.queue.models import Site

    db.session.execute(db.update(Site).values(live_version=Site.live_version + newest + 1))
    db.session.commit()
