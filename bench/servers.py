"""Starting the product and the bare baselines under one gunicorn configuration, and reading
their workers' memory."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SECRET_KEY = "bench-load-secret"


@dataclass
class Server:
    """A running gunicorn: its base URL and master pid."""

    base: str
    pid: int
    log: Path


def free_port() -> int:
    """Return a port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def product_env(database_url: str) -> dict:
    """The environment of the product's server and CLI: the database, a fixed key, no rate cap."""
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY,
            "KIOSK_RATE_PER_MINUTE": "100000000"}


@contextlib.contextmanager
def gunicorn(app: str, env: dict, ready_path: str, workers: int, threads: int):
    """Run `gunicorn -c gunicorn.conf.py APP` from the repository root; yield a Server."""
    port = free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    log_path = OUT / f"gunicorn-{app.split(':')[0].replace('.', '-')}.log"
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers),
           "GUNICORN_THREADS": str(threads)}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", app],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(proc, base + ready_path, log_path)
            _wait_workers(proc.pid, workers)
            yield Server(base, proc.pid, log_path)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=25)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc, url: str, log_path: Path) -> None:
    """Poll until the server answers 200, or fail with the end of its log."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"gunicorn did not start (exit {proc.poll()}):\n{tail}")
        time.sleep(0.2)


def _wait_workers(master: int, count: int) -> None:
    """Wait until every worker has forked (the first answer may come from the first alone)."""
    deadline = time.monotonic() + 30
    while len(worker_pids(master)) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def worker_pids(master: int) -> list[int]:
    """Return the pids of the master's child processes (gunicorn's workers)."""
    children = []
    for task in Path(f"/proc/{master}/task").glob("*"):
        with contextlib.suppress(OSError):
            children += [int(p) for p in (task / "children").read_text().split()]
    return sorted(children)


def connections_by_worker(master: int, port: int) -> dict[int, int]:
    """Return {worker pid: established TCP connections it holds on the server's port}.

    gunicorn's workers share one listening socket and each keeps the keep-alive connections it
    accepted: wrk's fifty connections, opened at once, sometimes all land on one worker, and
    the other core then idles for the whole run (a bare read measured 1,400-1,700 req/s that
    way against 4,300-4,900 with both workers holding some, in one series of 8 runs)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                    inodes.add(fields[9])
    held = {}
    for pid in worker_pids(master):
        count = 0
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    count += link.startswith("socket:[") and link[8:-1] in inodes
        held[pid] = count
    return held


def memory(pid: int) -> dict:
    """Return a process's VmRSS and VmHWM in MB from /proc/<pid>/status."""
    out = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


def workers_memory(master: int) -> dict[int, dict]:
    """Return {worker pid: {"VmRSS": MB, "VmHWM": MB}} for a gunicorn master."""
    return {pid: memory(pid) for pid in worker_pids(master)}


def format_memory(snapshot: dict[int, dict]) -> str:
    """One line per worker: pid, RSS and peak RSS."""
    return "\n".join(f"    worker {pid}: VmRSS {m.get('VmRSS', 0):.1f} MB, "
                     f"VmHWM {m.get('VmHWM', 0):.1f} MB" for pid, m in snapshot.items())
