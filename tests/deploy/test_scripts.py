"""The deployment kit's scripts: what install.sh writes, smoke.sh's verdicts, backup.sh's rotation."""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, render_install
from tests.live import CHEAP_HASH, free_port, gunicorn

DEPLOY = ROOT / "deploy"
SCRIPTS = sorted(DEPLOY.rglob("*.sh")) + [DEPLOY / "kiosk" / "kiosk-browser"]


@pytest.mark.parametrize("script", [p for p in SCRIPTS if p.exists()], ids=lambda p: p.name)
def test_every_script_parses_and_is_executable(script):
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    assert os.access(script, os.X_OK), f"chmod +x {script}"


def test_install_writes_a_centre_box(tmp_path):
    dest = render_install(tmp_path, "--public-url", "http://192.168.1.10")
    unit = (dest / "etc/systemd/system/hotro-so.service").read_text()
    assert f"WorkingDirectory={ROOT}\n" in unit
    assert f"ExecStart={ROOT}/.venv/bin/gunicorn -c {ROOT}/gunicorn.conf.py wsgi:app" in unit
    assert "Restart=always" in unit and "WantedBy=multi-user.target" in unit
    assert "@" not in unit.replace("@ ", "")  # every setting rendered
    env = (dest / "etc/hotro-so/env").read_text()
    assert "BIND=127.0.0.1:8000\n" in env  # nginx is on the box: gunicorn stays on loopback
    assert "PUBLIC_URL=http://192.168.1.10\n" in env and "PROXY_COUNT=1\n" in env
    site = (dest / "etc/nginx/sites-available/hotro-so").read_text()
    assert "server 127.0.0.1:8000 max_fails=2 fail_timeout=5s;" in site
    assert "ssl_certificate" not in site and "listen 80 default_server;" in site
    proxy = (dest / "etc/nginx/snippets/hotro-so-proxy.conf").read_text()
    assert f"alias {ROOT}/static/;" in proxy
    timer = (dest / "etc/systemd/system/hotro-so-backup.timer").read_text()
    assert "OnCalendar=*-*-* 02:30:00" in timer and "Persistent=true" in timer
    backup = (dest / "etc/systemd/system/hotro-so-backup.service").read_text()
    assert f"ExecStart={ROOT}/deploy/backup.sh" in backup and "purge-contacts" in backup
    assert (dest / "etc/logrotate.d/hotro-so").read_text().startswith("# nginx")
    wrapper = dest / "usr/local/bin/hotro-so"
    assert os.access(wrapper, os.X_OK) and "--app wsgi" in wrapper.read_text()
    for path in dest.rglob("*"):
        if path.is_file():
            assert "@APP_DIR@" not in path.read_text(), path


def test_install_writes_a_city_proxy_with_tls_and_an_app_server(tmp_path):
    proxy = render_install(tmp_path / "proxy", "--parts", "nginx", "--upstream", "10.0.0.11:8000",
                           "--upstream", "10.0.0.12:8000", "--tls-cert", "/etc/ssl/h.pem",
                           "--tls-key", "/etc/ssl/h.key", "--server-name", "hotro.city.gov.vn")
    site = (proxy / "etc/nginx/sites-available/hotro-so").read_text()
    assert "server 10.0.0.11:8000" in site and "server 10.0.0.12:8000" in site
    assert "ssl_certificate /etc/ssl/h.pem;" in site and "return 308 https://" in site
    assert not (proxy / "etc/systemd/system/hotro-so.service").exists()
    app = render_install(tmp_path / "app", "--parts", "app", "--bind", "0.0.0.0:8000",
                         "--trusted-proxy", "10.0.0.10", "--database-url", "postgresql://h@db/h")
    env = (app / "etc/hotro-so/env").read_text()
    assert "BIND=0.0.0.0:8000\n" in env and "FORWARDED_ALLOW_IPS=10.0.0.10\n" in env
    assert "DATABASE_URL=postgresql://h@db/h\n" in env
    assert not (app / "etc/nginx").exists()


def test_install_refuses_half_a_certificate(tmp_path):
    result = subprocess.run(["bash", str(DEPLOY / "install.sh"), "--dest", str(tmp_path),
                             "--tls-cert", "/x.pem"], capture_output=True, text=True)
    assert result.returncode != 0 and "--tls-key" in result.stderr


def test_systemd_units_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed: unit check SKIPPED")
    dest = render_install(tmp_path, "--user", "root")
    units = sorted(str(p) for p in (dest / "etc/systemd/system").iterdir())
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *units],
                            capture_output=True, text=True)
    # "Command … is not executable" is the only complaint allowed: the venv of a fresh box.
    problems = [line for line in result.stderr.splitlines()
                if line.strip() and "is not executable" not in line and "No such file" not in line]
    assert not problems, result.stderr


def test_smoke_fails_on_a_dead_port_and_says_so():
    result = subprocess.run([str(DEPLOY / "smoke.sh"), f"http://127.0.0.1:{free_port()}"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "cannot reach" in result.stdout


@pytest.mark.slow
def test_smoke_against_a_live_instance_names_what_is_wrong(live_sqlite):
    with gunicorn(live_sqlite, workers=1) as base:
        result = subprocess.run([str(DEPLOY / "smoke.sh"), base], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 1
        assert "PUBLIC_URL is not set" in result.stdout
        assert "ok   board state of DEMO" in result.stdout and "ok   kiosk page" in result.stdout
        warned = subprocess.run([str(DEPLOY / "smoke.sh"), base], capture_output=True, text=True,
                                timeout=60, env={**os.environ, "SMOKE_PUBLIC_URL": "warn"})
        assert warned.returncode == 0 and "WARN PUBLIC_URL" in warned.stdout
    with gunicorn(live_sqlite, workers=1, extra_env={"PUBLIC_URL": "http://localhost:8000"}) as base:
        result = subprocess.run([str(DEPLOY / "smoke.sh"), base, "DEMO"], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 1 and "points at localhost" in result.stdout
    with gunicorn(live_sqlite, workers=1, extra_env={"PUBLIC_URL": "http://192.0.2.1:8000"}) as base:
        result = subprocess.run([str(DEPLOY / "smoke.sh"), base], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, result.stdout


def run_backup(database: Path, backups: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(DEPLOY / "backup.sh")], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": f"sqlite:///{database}",
                               "SECRET_KEY": "x", "PASSWORD_HASH_METHOD": CHEAP_HASH,
                               "BACKUP_DIR": str(backups), "FLASK": str(ROOT / ".venv/bin/flask"),
                               **env})


@pytest.mark.slow
def test_backup_keeps_the_newest_copies_and_copies_them_elsewhere(live_sqlite, tmp_path):
    database = Path(live_sqlite.removeprefix("sqlite:///"))
    backups, usb = tmp_path / "backups", tmp_path / "usb"
    usb.mkdir()
    # Old copies of earlier nights (names sort by time)
    backups.mkdir()
    for day in range(1, 6):
        (backups / f"hotro-so-2026-01-0{day}_023000.sqlite3").write_text("old")
    result = run_backup(database, backups, BACKUP_KEEP="3", BACKUP_COPY_TO=str(usb))
    assert result.returncode == 0, result.stdout + result.stderr
    kept = sorted(p.name for p in backups.glob("hotro-so-*.sqlite3"))
    assert len(kept) == 3 and kept[:2] == ["hotro-so-2026-01-04_023000.sqlite3",
                                           "hotro-so-2026-01-05_023000.sqlite3"]
    newest = backups / kept[-1]
    assert newest.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(newest) as conn:  # a real, complete copy of the database
        assert conn.execute("SELECT code FROM site").fetchall() == [("DEMO",)]
    assert (usb / newest.name).read_bytes() == newest.read_bytes()
    # the USB disk is gone: the main copy is still made, and the failure is loud (exit 3)
    missing = run_backup(database, backups, BACKUP_KEEP="3", BACKUP_COPY_TO=str(tmp_path / "gone"))
    assert missing.returncode == 3 and "not a writable folder" in missing.stderr
    assert len(list(backups.glob("hotro-so-*.sqlite3"))) == 3


def test_backup_refuses_a_nonsense_keep(tmp_path):
    result = run_backup(tmp_path / "x.sqlite3", tmp_path / "b", BACKUP_KEEP="zero")
    assert result.returncode == 2 and "BACKUP_KEEP" in result.stderr
