"""The wrk paths of bench/load.py: their requests, one wrk run each, and the figures it prints
(why wrk: see bench/load.py; the Lua side is bench/wrk/load.lua)."""
import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from servers import OUT, ROOT, connections_by_worker

LUA = ROOT / "bench" / "wrk" / "load.lua"
ASSIST = {"category": "vneid", "outcome": "done", "channel": "desk"}


@dataclass
class LoadPath:
    """One measured path: its name, what it compares with, and its requests per site."""

    name: str
    label: str
    baseline: str | None
    targets: object  # site -> [(method, path, bearer, body)]
    etag: bool = False
    table: str | None = None  # rows it inserts, for the correctness check


def _poll(name, label, path_of, staff=False):
    """A poll and its conditional variant (ETag replayed as If-None-Match)."""
    def targets(site):
        """The poll's one request at a site."""
        return [("GET", path_of(site), site["staff"] if staff else "-", "-")]
    return [LoadPath(name, label, "bare-read", targets),
            LoadPath(f"{name}-304", f"{label} (If-None-Match)", "bare-read", targets, etag=True)]


PATHS = [
    *_poll("queue", "GET /api/v1/queue", lambda s: f"/api/v1/queue?site={s['site']}"),
    *_poll("status", "GET /t/<token>/status.json", lambda s: f"/t/{s['phone']}/status.json"),
    *_poll("display", "GET /api/v1/display", lambda s: f"/api/v1/display?site={s['site']}"),
    *_poll("console", "GET /api/v1/desks/<id>/console",
           lambda s: f"/api/v1/desks/{s['desk']}/console", staff=True),
    LoadPath("tickets", "POST /api/v1/tickets", "bare-insert",
          lambda s: [("POST", "/api/v1/tickets", s["kiosk"], json.dumps({"service": code}))
                     for code in s["services"]], table="ticket"),
    LoadPath("assists", "POST /api/v1/assists", "bare-insert",
          lambda s: [("POST", "/api/v1/assists", s["staff"], json.dumps(ASSIST))],
          table="assist"),
]
BARE = [
    LoadPath("bare-read", "GET /bare/json (bare read)", None,
          lambda s: [("GET", "/bare/json", "-", "-")]),
    LoadPath("bare-insert", "POST /bare/insert (bare insert)", None,
          lambda s: [("POST", "/bare/insert", "-", "{}")], table="bare_row"),
    LoadPath("bare-four", "POST /bare/four (4 statements, for scale)", None,
          lambda s: [("POST", "/bare/four", "-", "{}")], table="bare_event"),
]
ALL = {p.name: p for p in [*PATHS, *BARE]}


def write_targets(path: LoadPath, sites: list[dict]) -> Path:
    """Write the path's request lines for every site into bench/out/wrk-<name>.tsv."""
    out = OUT / f"wrk-{path.name}.tsv"
    lines = ["\t".join(t) for site in sites for t in path.targets(site)]
    out.write_text("\n".join(lines) + "\n")
    return out


def run_wrk(base: str, path: LoadPath, sites: list[dict], seconds: int, connections: int,
            threads: int = 2, master: int | None = None) -> dict:
    """Drive one path with wrk; return its figures (rates, percentiles in ms, statuses, and
    with the server's master pid, how many of wrk's connections each worker held mid-run)."""
    targets = write_targets(path, sites)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
           "-s", str(LUA), base, "--", str(targets), *(["etag"] if path.etag else [])]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        held = None
        if master is not None:
            time.sleep(seconds / 2)
            held = connections_by_worker(master, int(base.rsplit(":", 1)[1]))
        stdout, stderr = proc.communicate(timeout=seconds + 60)
    line = next((l for l in stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{stdout}{stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    statuses = {int(k): v for k, v in raw["statuses"].items()}
    errors = raw["errors"]
    return {
        "path": path.name, "label": path.label, "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["latency_us"]["p50"] / 1000, "p95_ms": raw["latency_us"]["p95"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000, "max_ms": raw["latency_us"]["max"] / 1000,
        "statuses": statuses,
        "bad_status": sum(n for s, n in statuses.items() if s >= 400),
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "errors": errors, "share_304": statuses.get(304, 0) / max(1, sum(statuses.values())),
        "bytes": raw["bytes"], "targets": sum(1 for _ in open(targets)),
        "connections": connections, "seconds": seconds,
        "held": sorted(held.values(), reverse=True) if held is not None else None,
    }


def format_row(fig: dict, baselines: dict) -> str:
    """One printed line: rate, percentiles, errors, 304s, ratio to the baseline."""
    path = ALL[fig["path"]]
    text = (f"  {fig['label']:<46} {fig['rps']:>8,.0f} req/s  p50 {fig['p50_ms']:6.1f}  "
            f"p95 {fig['p95_ms']:6.1f}  p99 {fig['p99_ms']:6.1f} ms  "
            f"non-2xx/3xx {fig['bad_status']}  socket errors {fig['socket_errors']}")
    if path.etag or 304 in fig["statuses"]:
        text += f"  304s {fig['share_304']:.0%}"
    base = fig.get("paired") or (baselines.get(path.baseline) if path.baseline else None)
    if base:
        ratio = fig.get("ratio", fig["rps"] / base["rps"])
        text += f"  = {ratio:.2f} x {path.baseline}"
        if fig.get("ratios"):
            text += (f" ({min(fig['ratios']):.2f}-{max(fig['ratios']):.2f}; baseline "
                     f"{base['rps']:,.0f})")
        if path.name == "tickets" and baselines.get("bare-four"):
            text += f" [{fig['rps'] / baselines['bare-four']['rps']:.2f} x bare-four]"
    elif path.baseline:
        text += f"  (no {path.baseline} figure yet)"
    dropped = fig.get("dropped_runs", 0) + fig.get("paired_dropped_runs", 0)
    if dropped:
        text += f"  [{dropped} run(s) on one worker run again]"
    if fig.get("unplaced_rounds"):
        text += f"  [{fig['unplaced_rounds']} round(s) left on one worker, not in the figures]"
    return text


def format_statuses(fig: dict) -> str:
    """The statuses counted, e.g. '200: 1234, 304: 56'."""
    return ", ".join(f"{s}: {n:,}" for s, n in sorted(fig["statuses"].items()))
