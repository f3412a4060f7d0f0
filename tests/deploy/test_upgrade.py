"""deploy/upgrade.sh on a real checkout: backup, deploy, migrate, restart, smoke-check, and the
roll back of a release that does not answer (schema back down, old code, old release serving)."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT
from tests.live import CHEAP_HASH, free_port

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                            env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                                 "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def copy_tree(target: Path) -> None:
    """Copy this working tree's files (tracked and new, not ignored), keeping their times, so
    `make setup` in the copy finds the shared virtual environment up to date."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def migration(revision: str, down: str, table: str) -> str:
    return textwrap.dedent(f'''\
        """release probe {revision}"""
        from alembic import op
        import sqlalchemy as sa

        revision = "{revision}"
        down_revision = "{down}"
        branch_labels = None
        depends_on = None


        def upgrade():
            op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True))


        def downgrade():
            op.drop_table("{table}")
        ''')


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def checkout(tmp_path):
    """A git checkout of the app (release 1) serving on a port, with its env file and backups."""
    app = tmp_path / "app"
    app.mkdir()
    copy_tree(app)
    (app / ".venv").symlink_to(ROOT / ".venv")
    git(app, "init", "-q", "-b", "main")
    git(app, "add", "-A")
    git(app, "commit", "-q", "-m", "release 1")
    port = free_port()
    database = tmp_path / "kiosk.sqlite3"
    env_file = tmp_path / "env"
    env_file.write_text(f"BIND=127.0.0.1:{port}\nDATABASE_URL=sqlite:///{database}\nSECRET_KEY=upgrade-test\n"
                        f"PASSWORD_HASH_METHOD={CHEAP_HASH}\nBACKUP_DIR={tmp_path / 'backups'}\n"
                        "WEB_CONCURRENCY=1\nPUBLIC_URL=http://192.0.2.7\n"
                        "SMOKE_WAIT=8\n")  # a broken release is given up on after 8 s, not 20
    restart = tmp_path / "restart.sh"
    pidfile = tmp_path / "gunicorn.pid"
    restart.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        # Stop the server if it runs, start it again from the checkout (as systemctl restart does).
        set -a; . {env_file}; set +a
        cd {app}
        if [ -f {pidfile} ]; then
          pid=$(cat {pidfile}); kill "$pid" 2>/dev/null
          while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
        setsid {sys.executable} -m gunicorn -c gunicorn.conf.py --pid {pidfile} \\
          --access-logfile /dev/null wsgi:app >> {tmp_path}/gunicorn.log 2>&1 < /dev/null &
        """))
    restart.chmod(0o755)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    env = {**os.environ, **dict(line.split("=", 1) for line in env_file.read_text().splitlines())}
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(flask + args, cwd=app, env=env, check=True, capture_output=True)
    subprocess.run([str(restart)], check=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while get_or_none(base + "/healthz") != 200:
        assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
        time.sleep(0.2)
    head = subprocess.run(flask + ["db", "heads"], cwd=app, env=env, capture_output=True,
                          text=True, check=True).stdout.split()[0]
    try:
        yield {"app": app, "base": base, "env": env_file, "restart": restart, "database": database,
               "backups": tmp_path / "backups", "head": head}
    finally:
        if pidfile.exists():
            try:
                os.kill(int(pidfile.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass


def get_or_none(url: str) -> int | None:
    try:
        return get(url)[0]
    except OSError:
        return None


def upgrade(checkout, ref: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(checkout["app"] / "deploy" / "upgrade.sh"), "--ref", ref, "--no-fetch",
                           "--env", str(checkout["env"]), "--restart", str(checkout["restart"])],
                          capture_output=True, text=True, timeout=300)


def tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def schema_revision(database: Path) -> str:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_upgrade_then_a_broken_release_rolls_back(checkout):
    app, base = checkout["app"], checkout["base"]
    # Release 2: a new migration and a visible change.
    index = app / "templates" / "main" / "index.html"
    index.write_text(index.read_text().replace("{% block content %}", "{% block content %}<p>Bản phát hành 2</p>", 1))
    (app / "kiosk/migrations/versions/9001_probe.py").write_text(migration("9001", checkout["head"], "probe_two"))
    git(app, "commit", "-qam", "release 2")
    git(app, "add", "-A")
    git(app, "commit", "-qm", "release 2 migration")
    release2 = git(app, "rev-parse", "HEAD")

    result = upgrade(checkout, release2)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "upgraded to" in result.stdout
    assert "Bản phát hành 2" in get(base + "/")[1]
    assert "probe_two" in tables(checkout["database"]) and schema_revision(checkout["database"]) == "9001"
    (backup,) = checkout["backups"].glob("pre-upgrade-*.sqlite3")
    assert "probe_two" not in tables(backup)  # taken before the migration

    # Release 3: another migration, and a health check that fails: it must not stay.
    (app / "kiosk/migrations/versions/9002_probe.py").write_text(migration("9002", "9001", "probe_three"))
    views = app / "kiosk" / "main" / "views.py"
    views.write_text(views.read_text().replace(
        '    try:\n        probe_database(', '    raise RuntimeError("broken release")\n    try:\n        probe_database(', 1))
    git(app, "add", "-A")
    git(app, "commit", "-qm", "release 3 (broken)")
    release3 = git(app, "rev-parse", "HEAD")
    git(app, "checkout", "-q", "--detach", release2)  # the release is made elsewhere; deployed is 2
    result = upgrade(checkout, release3)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ROLLING BACK" in result.stdout and "the smoke check failed" in result.stdout
    assert "rolled back; the old release answers again" in result.stdout, result.stdout + result.stderr
    assert git(app, "rev-parse", "HEAD") == release2
    assert schema_revision(checkout["database"]) == "9001"
    assert "probe_three" not in tables(checkout["database"])
    assert get(base + "/healthz")[0] == 200 and "Bản phát hành 2" in get(base + "/")[1]


def test_upgrade_refuses_a_checkout_with_local_changes(checkout):
    (checkout["app"] / "wsgi.py").write_text("# edited by hand\n")
    result = upgrade(checkout, "HEAD")
    assert result.returncode == 1 and "local changes" in result.stderr
    assert not checkout["backups"].exists()
