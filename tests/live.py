"""A real gunicorn server on a fresh database, and Chromium through Playwright, for end-to-end tests."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHEAP_HASH = "scrypt:1024:8:1"
LIVE_SECRET = "live-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask_cli(database_url: str, *args: str, input_text: str | None = None,
              process: bool = False) -> str:
    """Run `flask --app wsgi …` against a database and return what it printed: in this
    process (a new interpreter spends 2 s importing), or as its own process with process=True
    (backup and restore are tested as the operator runs them)."""
    if process:
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": LIVE_SECRET,
               "PASSWORD_HASH_METHOD": CHEAP_HASH}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                                env=env, input=input_text, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout
    from kiosk.extensions import db

    if database_url not in _CLI_APPS:
        from kiosk import create_app

        _CLI_APPS[database_url] = create_app({"DATABASE_URL": database_url, "SECRET_KEY": LIVE_SECRET,
                                              "PASSWORD_HASH_METHOD": CHEAP_HASH})
    app = _CLI_APPS[database_url]
    outcome = app.test_cli_runner().invoke(args=list(args), input=input_text)
    with app.app_context():
        db.engine.dispose()  # no connection left open on a database a server is about to use
    assert outcome.exit_code == 0, f"{outcome.output}{outcome.exception!r}"
    return outcome.stdout


_CLI_APPS: dict = {}  # database URL -> the app its commands run in


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int = 2, threads: int = 4, extra_env: dict | None = None):
    """Start gunicorn on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": LIVE_SECRET,
           "PORT": str(port), "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads),
           **(extra_env or {})}
    log = open(ROOT / "test-artifacts" / f"gunicorn-{port}.log", "w") if _artifacts() else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start (exit {proc.poll()})")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            log.close()


def _artifacts() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def require_chromium():
    """Skip loudly when Debian's Chromium is not installed (CI installs it)."""
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium): browser test SKIPPED")


CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")


@contextlib.contextmanager
def browser(pw, *switches):
    """Launch Debian's Chromium headless through Playwright (`pw`: the run's sync_playwright;
    one may run at a time), with extra command-line switches."""
    require_chromium()
    chromium = pw.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *switches])
    try:
        yield chromium
    finally:
        chromium.close()


def screenshot(page, name: str) -> Path:
    """Save a full-size screenshot under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state()
    page.screenshot(path=str(path))
    return path


def external_requests(page, base: str) -> list[str]:
    """Start recording requests that leave the server; return the live list."""
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url)
            if not req.url.startswith((base, "data:", "blob:", "about:")) else None)
    return seen


def sign_in(page, base: str, username: str, next_path: str | None = None) -> None:
    """Sign a demo user in through the form (demo passwords are '<username>-demo')."""
    page.goto(base + "/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#username", username)
    page.fill("#password", f"{username}-demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def in_view(page, selector: str, height: int) -> bool:
    """Tell whether an element is wholly inside the first `height` pixels (no scrolling needed)."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
