"""The "centre day" mix of bench/load.py: one centre's devices, at their real pace, for N minutes.

3 kiosks issue a ticket every 20-40 s each; 4 desks call the next number, serve it for
60-120 s, finish it and log its assist, while their consoles poll every 1.5 s; 2 boards poll
/api/v1/display every second; 40 phones each follow a ticket (taken from the tickets issued)
every 1.5 s until it is served. Every poll replays its ETag as the screens' poll.js does.
Threads with keep-alive http.client connections: the pace is low, the point is the mix over
time and what the workers' memory does (VmRSS and VmHWM at the start and the end).
"""
import queue
import random
import threading
import time
from collections import defaultdict

import prepare
from client import Client
from day import open_day, phone_token
from servers import format_memory, gunicorn, product_env, workers_memory

KIOSKS, DESKS, BOARDS, PHONES = 3, 4, 2, 40
FOLLOWED = ("waiting", "called", "serving")  # a phone stops following its ticket after these


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of a list by nearest rank (0 for an empty list)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class Stats:
    """Latencies, statuses and errors per path, shared by every actor thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.errors = defaultdict(list)
        self.following = 0  # phones following a ticket now
        self.most_following = 0

    def call(self, client: Client, name: str, method: str, path: str, body=None, etag=None):
        """Make one request and record it under `name`; return the Answer or None on error."""
        try:
            answer = client.request(method, path, body, etag)
        except OSError as exc:
            with self.lock:
                self.errors[name].append(repr(exc))
            client.close()
            return None
        with self.lock:
            self.latencies[name].append(answer.seconds)
            self.statuses[name][answer.status] += 1
        return answer

    def summary(self, seconds: float) -> list[dict]:
        """Per path: count, rate, percentiles in ms, statuses, errors."""
        out = []
        for name in sorted(set(self.latencies) | set(self.errors)):
            ms = [s * 1000 for s in self.latencies[name]]
            statuses = dict(self.statuses[name])
            out.append({"path": name, "requests": len(ms), "rps": len(ms) / seconds,
                        "p50_ms": percentile(ms, 0.50), "p95_ms": percentile(ms, 0.95),
                        "p99_ms": percentile(ms, 0.99), "max_ms": max(ms, default=0.0),
                        "statuses": statuses,
                        "bad_status": sum(n for s, n in statuses.items() if s >= 400),
                        "errors": len(self.errors[name]), "error_samples": self.errors[name][:3]})
        return out


def every(stop: threading.Event, low: float, high: float | None = None):
    """Yield until stopped, waiting low..high seconds between turns (the first turn too)."""
    while not stop.wait(random.uniform(low, high or low)):
        yield


def kiosk(base, token, services, stats, phones, stop):
    """Issue a ticket every 20-40 s; hand its phone token to the phones."""
    client = Client(base, token)
    for _ in every(stop, 20, 40):
        answer = stats.call(client, "POST /api/v1/tickets (kiosk)", "POST", "/api/v1/tickets",
                            {"service": random.choice(services)})
        if answer and answer.status == 201:
            phones.put(phone_token(answer.data))


def desk(base, token, desk_id, stats, stop):
    """Call the next number, start, serve 60-120 s, finish, log its assist; again."""
    client = Client(base, token)
    state = stats.call(client, "GET console (desk)", "GET", f"/api/v1/desks/{desk_id}/console")
    current = state.data.get("current") if state and state.status == 200 else None
    while not stop.is_set():
        if current is None:
            answer = stats.call(client, "POST call-next (desk)", "POST",
                                f"/api/v1/desks/{desk_id}/call-next")
            if not answer or answer.status != 200:  # 204: nobody waits; try again soon
                stop.wait(10)
                continue
            current = answer.data["ticket"]
        ticket = current["id"]
        if current.get("status") == "called":
            stats.call(client, "POST start (desk)", "POST", f"/api/v1/tickets/{ticket}/start")
        if stop.wait(random.uniform(60, 120)):
            break
        stats.call(client, "POST finish (desk)", "POST", f"/api/v1/tickets/{ticket}/finish")
        stats.call(client, "POST /api/v1/assists (desk)", "POST", "/api/v1/assists",
                   {"ticket_id": ticket, "category": current.get("service", "vneid"),
                    "outcome": "done", "channel": "desk"})
        current = None


def poller(base, token, name, path_of, interval, stats, stop, on_answer=None):
    """Poll a path every `interval` s with If-None-Match; on_answer sees each 200's JSON."""
    client, etag = Client(base, token), None
    stop.wait(random.uniform(0, interval))
    for _ in every(stop, interval):
        answer = stats.call(client, name, "GET", path_of(), etag=etag)
        if answer and answer.status == 200:
            etag = answer.etag
            if on_answer:
                on_answer(answer.data)


def board(base, stats, stop):
    """The waiting-room TV: /api/v1/display every second, its cursor in ?after=."""
    cursor = {"after": None}

    def path():
        """The board's address with its cursor, as display.js builds it."""
        after = cursor["after"]
        return "/api/v1/display?site=DEMO" + (f"&after={after}" if after is not None else "")

    def seen(data):
        """Move the cursor to the last event the answer holds."""
        cursor["after"] = data.get("last_event", cursor["after"])

    poller(base, None, "GET /api/v1/display (board)", path, 1.0, stats, stop, seen)


def phone(base, stats, phones, stop):
    """A citizen's phone: follow one ticket every 1.5 s until it is served, then the next."""
    client = Client(base)
    while not stop.is_set():
        try:
            token = phones.get(timeout=1)
        except queue.Empty:
            continue
        etag, status = None, "waiting"
        with stats.lock:
            stats.following += 1
            stats.most_following = max(stats.most_following, stats.following)
        stop.wait(random.uniform(0, 1.5))
        for _ in every(stop, 1.5):
            answer = stats.call(client, "GET /t/<token>/status.json (phone)", "GET",
                                f"/t/{token}/status.json", etag=etag)
            if answer and answer.status == 200:
                etag, status = answer.etag, answer.data.get("status")
            if answer and answer.status == 404 or status not in FOLLOWED:
                break
        with stats.lock:
            stats.following -= 1


def run_centre_day(args) -> dict:
    """Prepare DEMO, start the product, run the mix for args.minutes, print the figures."""
    url, meta, note = prepare.prepare(args.database, "paths", args.pg_database, args.fresh)
    print(f"  product on {url}: {note}", flush=True)
    demo = [s for s in meta["sites"] if s["site"] == "DEMO"]
    with gunicorn("wsgi:app", product_env(url), "/healthz", args.workers, args.threads) as server:
        site = open_day(server.base, meta, demo, prepare.WAITING_PER_SITE)[0]
        memory_start = workers_memory(server.pid)
        stats, stop, phones = Stats(), threading.Event(), queue.Queue()
        for token in site["phones"]:
            phones.put(token)
        actors = [(kiosk, (server.base, t, site["services"], stats, phones, stop))
                  for t in meta["demo_kiosks"][:KIOSKS]]
        for desk_id, token in list(zip(site["desks"], meta["demo_officers"]))[:DESKS]:
            actors.append((desk, (server.base, token, desk_id, stats, stop)))
            actors.append((poller, (server.base, token, "GET console (desk)",
                                    lambda d=desk_id: f"/api/v1/desks/{d}/console", 1.5,
                                    stats, stop)))
        actors += [(board, (server.base, stats, stop))] * BOARDS
        actors += [(phone, (server.base, stats, phones, stop))] * PHONES
        threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in actors]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(args.minutes * 60)
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
        seconds = time.monotonic() - start
        memory_end = workers_memory(server.pid)
    figures = stats.summary(seconds)
    tickets = prepare.query(url, "SELECT status, count(*) FROM ticket GROUP BY status")
    print_centre_day(args, figures, seconds, memory_start, memory_end, tickets)
    print(f"  phones following a ticket: at most {stats.most_following} of {PHONES}")
    return {"paths": figures, "seconds": seconds, "memory_start": memory_start,
            "memory_end": memory_end, "tickets_by_status": dict(tickets),
            "most_phones_following": stats.most_following}


def print_centre_day(args, figures, seconds, memory_start, memory_end, tickets) -> None:
    """Print the per-path table, the tickets' states and the workers' memory."""
    print(f"\nResults: centre-day on {args.database}, {seconds / 60:.1f} min, gunicorn gthread "
          f"{args.workers} workers x {args.threads} threads; {KIOSKS} kiosks, {DESKS} desks, "
          f"{BOARDS} boards, {PHONES} phones")
    for fig in figures:
        shown = ", ".join(f"{s}: {n:,}" for s, n in sorted(fig["statuses"].items()))
        print(f"  {fig['path']:<40} {fig['requests']:>7,} req {fig['rps']:6.2f}/s  "
              f"p50 {fig['p50_ms']:6.1f}  p95 {fig['p95_ms']:6.1f}  p99 {fig['p99_ms']:6.1f}  "
              f"max {fig['max_ms']:6.1f} ms  non-2xx/3xx {fig['bad_status']}  "
              f"errors {fig['errors']}  ({shown})")
        for sample in fig["error_samples"]:
            print(f"      e.g. {sample}")
    print("  tickets at the end: " + ", ".join(f"{s} {n}" for s, n in sorted(tickets)))
    print(f"  workers' memory at the start:\n{format_memory(memory_start)}")
    print(f"  workers' memory at the end:\n{format_memory(memory_end)}")
