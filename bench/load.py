"""Load benchmark of issue 14 ("Live paths at the stack's ceiling"): the product's live paths
against bare Flask baselines, under one gunicorn configuration, driven by wrk.

    .venv/bin/python bench/load.py                                  # every path, SQLite, 3 rounds of 5 s
    .venv/bin/python bench/load.py --only queue,queue-304,tickets   # a subset (data reused)
    .venv/bin/python bench/load.py --database postgresql            # database `bench`, recreated
    .venv/bin/python bench/load.py --scenario city-peak             # 100 sites, PostgreSQL
    .venv/bin/python bench/load.py --scenario centre-day --minutes 30
    options: --seconds 5 --rounds 3 --warmup 1 --connections 50 --workers 2 --threads 4 --json FILE
             --fresh (rebuild the prepared data) --pg-database bench

Each run copies a prepared template (bench/prepare.py; SQLite bench/out/load.sqlite3, or the
PostgreSQL database `bench` dropped and recreated from `bench_template_demo|city`), starts
gunicorn on it and issues the day's first tickets through the API (bench/day.py): run one
benchmark at a time. The centre-day mix is bench/centre_day.py; the browser figures are
bench/browser.py.

Paths: queue, status, display, console (each also as NAME-304: the ETag replayed as
If-None-Match), tickets, assists, and the baselines bare-read, bare-insert, bare-four. Polls
are compared with bare-read, tickets and assists with bare-insert; bare-four (a ticket's four
statements in plain Flask-SQLAlchemy) is there for scale. Each product path runs
--rounds times (3), each right after a run of its baseline, both servers side by side: the
ratio is the median of the rounds' ratios to those neighbouring runs (a shared machine's speed
drifts from minute to minute), printed with its spread. A run in which one gunicorn worker
held (almost) none of wrk's connections measured one core and is run again (see measure()).

Why wrk: it is C and event-driven, so one process holds 50 keep-alive connections with little
CPU (a Python load generator would take the server's cores on a 2-core machine); Lua adds the
bearer headers, spreads requests over sites and replays ETags; done() reads exact latency
percentiles; and Debian packages it. No figure here is asserted: they are printed.
"""
import argparse
import contextlib
import json
import statistics
import time
from pathlib import Path

import prepare
from client import Client
from day import open_day
from servers import OUT, format_memory, gunicorn, product_env, workers_memory
from wrkrun import ALL, format_row, format_statuses, run_wrk

MAX_PLACEMENTS = 8  # runs of one measure before a one-worker placement is kept (marked)
WHY_WRK = ("wrk (C, event-driven: 50 connections from one process with little CPU; Lua for "
           "bearer headers, sites and ETag replay; exact percentiles in done(); from Debian)")


def parse_args(argv=None):
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("paths", "city-peak", "centre-day"),
                        default="paths")
    parser.add_argument("--database", choices=("sqlite", "postgresql"),
                        help="default: sqlite, postgresql for city-peak")
    parser.add_argument("--pg-database", default="bench", help="dropped and recreated each run")
    parser.add_argument("--only", help="comma-separated paths: " + ",".join(ALL))
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each product path, each after a run of its baseline")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured seconds before each")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=2, help="centre-day length")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--fresh", action="store_true", help="rebuild the prepared template")
    args = parser.parse_args(argv)
    args.database = args.database or ("postgresql" if args.scenario == "city-peak" else "sqlite")
    names = args.only.split(",") if args.only else list(ALL)
    unknown = [n for n in names if n not in ALL]
    if unknown:
        parser.error(f"unknown path(s) {', '.join(unknown)}; choose from {', '.join(ALL)}")
    args.paths = [n for n in ALL if n in names]  # the canonical order: polls before writes
    return args


def rows(url: str, table: str) -> int:
    """Count a table's rows once the server has finished what wrk left in flight."""
    last = None
    while True:
        count = prepare.query(url, f"SELECT count(*) FROM {table}")[0][0]
        if count == last:
            return count
        last = count
        time.sleep(0.5)


def check_inserts(url: str, table: str, before: int, fig: dict) -> str:
    """Compare the rows a write path added with the 201s wrk counted."""
    added, created = rows(url, table) - before, fig["statuses"].get(201, 0)
    if added == created:
        return f"{fig['path']}: {added:,} {table} rows added = {created:,} 201s counted: ok"
    # wrk stops with at most one request per connection sent and its answer unread.
    verdict = "ok" if 0 < added - created <= fig["connections"] else "MISMATCH"
    return (f"{fig['path']}: {added:,} {table} rows added, {created:,} 201s counted: {verdict} "
            f"({added - created:+,}: answers wrk did not read when it stopped, at most one a "
            "connection)")


def first_answer(base: str, path, site: dict) -> list[str]:
    """Check a poll's first answer by hand: its status and the keys of its JSON."""
    method, target, bearer, _body = path.targets(site)[0]
    if method != "GET":
        return []
    answer = Client(base, None if bearer == "-" else bearer).request("GET", target)
    keys = ", ".join(sorted(answer.data)) if isinstance(answer.data, dict) else answer.data
    return [f"{path.name}: first answer {answer.status}, JSON keys {keys}"]


def measure(server, url: str, names: list[str], sites: list[dict], args, checks: list) -> list:
    """Run the named wrk paths against one server; return their figures. A run in which a
    worker held none or almost none of wrk's connections (gunicorn's workers share the
    listening socket, and the fifty connections opened at once sometimes all land on one)
    measured one core, not the server: it is run again, up to MAX_PLACEMENTS times, and the
    runs dropped are counted (a run still unplaced then is kept, marked, out of the ratio)."""
    figures = []
    for name in names:
        path = ALL[name]
        if not path.etag:
            checks += first_answer(server.base, path, sites[0])
        for attempt in range(1, MAX_PLACEMENTS + 1):
            if args.warmup:  # a worker's first requests load code and fill caches: not measured
                run_wrk(server.base, path, sites, args.warmup, args.connections)
            before = rows(url, path.table) if path.table else None
            fig = run_wrk(server.base, path, sites, args.seconds, args.connections,
                          master=server.pid)
            if path.table:
                checks.append(check_inserts(url, path.table, before, fig))
            fig["placed"] = placed = (len(fig["held"]) == args.workers
                                      and min(fig["held"]) >= max(1, args.connections // 20))
            if placed or attempt == MAX_PLACEMENTS:
                break
            print(f"    {name}: {fig['rps']:,.0f} req/s with connections per worker "
                  f"{fig['held']}: not counted, run again", flush=True)
        fig["dropped_runs"] = attempt - 1
        figures.append(fig)
        print(f"    {name}: {fig['rps']:,.0f} req/s ({format_statuses(fig)}; connections per "
              f"worker {fig['held']})", flush=True)
        if path.etag:
            checks.append(f"{name}: {fig['share_304']:.1%} of answers were 304 "
                          f"({fig['statuses'].get(304, 0):,} of {fig['requests']:,})")
    return figures


@contextlib.contextmanager
def bare_server(args):
    """Start the bare app on its own database; yield (its Server, database URL)."""
    from bare_app import init_db

    url = prepare.bare_url(args.database, args.pg_database, OUT / "bare")
    init_db(url)
    print(f"  bare app on {url}", flush=True)
    with gunicorn("bench.bare_app:app", {**product_env(url), "BARE_DATABASE_URL": url},
                  "/bare/json", args.workers, args.threads) as server:
        yield server, url


@contextlib.contextmanager
def product_server(args, report: dict):
    """Prepare the product's data, start it and open the day; yield (its Server, url, sites)."""
    start = time.perf_counter()
    url, meta, note = prepare.prepare(args.database, args.scenario, args.pg_database, args.fresh)
    print(f"  product on {url}: {note} in {time.perf_counter() - start:.1f} s", flush=True)
    city = args.scenario == "city-peak"
    sites = [s for s in meta["sites"] if (s["site"] != "DEMO") == city]
    with gunicorn("wsgi:app", product_env(url), "/healthz", args.workers, args.threads) as server:
        start = time.perf_counter()
        sites = open_day(server.base, meta, sites, 6 if city else prepare.WAITING_PER_SITE)
        print(f"  opened the day at {len(sites)} site(s) (waiting tickets, one called, phone "
              f"tokens) in {time.perf_counter() - start:.1f} s", flush=True)
        report["memory_start"] = workers_memory(server.pid)
        yield server, url, sites
        report["memory_end"] = workers_memory(server.pid)


def combine(rounds: list[tuple[dict, dict]]) -> dict:
    """One path's figures from its rounds (baseline, path): counts summed, rate and
    percentiles the rounds' median, the ratio the median of the rounds' ratios (of the rounds
    whose two runs both had their connections on every worker, when there are any)."""
    placed = [(paired, fig) for paired, fig in rounds if paired["placed"] and fig["placed"]]
    unplaced = len(rounds) - len(placed)
    rounds = placed or rounds
    figs = [fig for _paired, fig in rounds]
    fig = {**figs[0], "rounds": len(rounds), "seconds": sum(f["seconds"] for f in figs)}
    for key in ("requests", "bad_status", "socket_errors", "bytes", "dropped_runs"):
        fig[key] = sum(f[key] for f in figs)
    fig["statuses"] = {s: sum(f["statuses"].get(s, 0) for f in figs)
                       for s in sorted({s for f in figs for s in f["statuses"]})}
    fig["share_304"] = fig["statuses"].get(304, 0) / max(1, sum(fig["statuses"].values()))
    for key in ("rps", "p50_ms", "p95_ms", "p99_ms"):
        fig[key] = statistics.median(f[key] for f in figs)
    fig["max_ms"] = max(f["max_ms"] for f in figs)
    fig["ratios"] = [f["rps"] / paired["rps"] for paired, f in rounds]
    fig["held"] = [f["held"] for f in figs]
    fig["paired_dropped_runs"] = sum(paired.get("dropped_runs", 0) for paired, _f in rounds)
    fig["unplaced_rounds"] = unplaced
    fig["ratio"] = statistics.median(fig["ratios"])
    fig["paired"] = {"rps": statistics.median(paired["rps"] for paired, _f in rounds)}
    return fig


def run_paths(args) -> dict:
    """The wrk scenarios (paths, city-peak). Both servers run side by side (an idle one costs
    no CPU) and each product path is measured right after its own run of its baseline: on a
    shared machine whose speed drifts from minute to minute, only neighbouring runs compare."""
    report, checks, figures = {}, [], []
    bare = [n for n in args.paths if n.startswith("bare-")]
    product = [n for n in args.paths if not n.startswith("bare-")]
    with contextlib.ExitStack() as stack:
        bare_srv, bare_url = stack.enter_context(bare_server(args))
        for name in bare:  # once each, for the table (and bare-four, for scale)
            figures += measure(bare_srv, bare_url, [name], [{}], args, checks)
        if product:
            server, url, sites = stack.enter_context(product_server(args, report))
        for name in product:
            rounds = []
            for _round in range(args.rounds):
                paired = measure(bare_srv, bare_url, [ALL[name].baseline], [{}], args, [])[0]
                rounds.append((paired, measure(server, url, [name], sites, args, checks)[0]))
            figures.append(combine(rounds))
    base = {f["path"]: f for f in figures if f["path"].startswith("bare-")}
    print(f"\nResults: {args.scenario}, {args.database}, gunicorn gthread {args.workers} "
          f"workers x {args.threads} threads, wrk 2 threads x {args.connections} connections, "
          f"{args.seconds} s a run; each product path {args.rounds} runs, each after a run of its "
          "baseline: the median rate and percentiles, the median of the rounds' ratios")
    for fig in figures:
        print(format_row(fig, base))
    if checks:
        print("Checks:\n" + "\n".join(f"  {line}" for line in checks))
    for when in ("memory_start", "memory_end"):
        if when in report:
            print(f"  product workers' memory at the {when.split('_')[1]}:\n"
                  f"{format_memory(report[when])}")
    return {**report, "paths": figures, "baselines": base, "checks": checks}


def main(argv=None) -> None:
    """Run the chosen scenario and print (and optionally write) its figures."""
    args = parse_args(argv)
    print(f"bench/load.py: scenario {args.scenario} on {args.database}; load by {WHY_WRK}"
          if args.scenario != "centre-day" else
          f"bench/load.py: scenario centre-day on {args.database}, {args.minutes:g} min "
          "(a Python driver: threads and keep-alive http.client, like the real devices)",
          flush=True)
    if args.scenario == "centre-day":
        from centre_day import run_centre_day

        report = run_centre_day(args)
    else:
        report = run_paths(args)
    if args.json:
        settings = {k: v for k, v in vars(args).items() if k != "json"}
        args.json.write_text(json.dumps({"settings": settings, **report}, indent=1, default=str))
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
