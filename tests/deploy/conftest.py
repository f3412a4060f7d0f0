"""Fixtures of the deployment kit's tests: deploy/install.sh rendered into a folder, nginx
(Debian's package) started on loopback from the rendered files, and a plain HTTP client that
can pick its source address (127.0.0.2, 127.0.0.3…: several "clients" on one machine)."""
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def require_nginx() -> None:
    """Skip loudly when Debian's nginx is not installed (.ci/run installs it)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install -y nginx): nginx test SKIPPED")


def render_install(dest: Path, *args: str) -> Path:
    """Run deploy/install.sh --dest: write every file it would install under dest."""
    result = subprocess.run(["bash", str(ROOT / "deploy" / "install.sh"), "--dest", str(dest),
                             "--app-dir", str(ROOT), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


@contextlib.contextmanager
def nginx(dest: Path, port: int):
    """Run nginx with the site file install.sh rendered into dest; yield its log folder."""
    require_nginx()
    temp = dest / "nginx-temp"
    temp.mkdir(exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 folders
    conf = dest / "nginx.conf"
    conf.write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {dest}/nginx.pid;
error_log {dest}/nginx-main-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {dest}/etc/nginx/sites-available/hotro-so;
}}
""")
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    stderr = open(dest / "nginx-stderr.log", "w")
    proc = subprocess.Popen([NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_for_port(port)
        yield dest
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stderr.close()


class Client:
    """A tiny HTTP client with cookies and a chosen source address (http.client, no redirects)."""

    def __init__(self, base: str, source: str = "127.0.0.1"):
        self.base = base.rstrip("/")
        self.source = source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        parts = urlsplit(self.base)
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=30,
                                               source_address=(self.source, 0),
                                               context=ssl._create_unverified_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                              source_address=(self.source, 0))
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict, headers: dict | None = None):
        from urllib.parse import urlencode

        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def post_json(self, path: str, payload: dict, token: str):
        import json

        return self.request("POST", path, json.dumps(payload).encode(),
                            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})

    def csrf_token(self, path: str) -> str:
        status, _headers, body = self.get(path)
        assert status == 200
        return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()


@pytest.fixture
def make_client():
    return Client
