"""Benchmark the reports on 1,500,000 assists across 100 sites (SQLite in bench/out/, or
PostgreSQL).

    .venv/bin/python bench/bench_reports.py     # build the database once (~5 min), then measure
    .venv/bin/python bench/bench_reports.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Prints a site's month summary, the city's year roll-up, one assist write with its summary
increments, the CSV export's rows per second (the city's year, and one commune's year) and the
peak memory of the process that streamed it, and (SQLite) the query plans of the main queries.
A PostgreSQL database is filled when it holds no assist (it must exist: createdb bench).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
DB = OUT / "bench.sqlite3"
SITES, DAYS, PER_DAY = 100, 375, 40  # 100 × 375 × 40 = 1,500,000 assists
END = date(2026, 12, 31)


def database_url() -> str:
    """Return the benchmark's database: --database-url (BENCH_DATABASE_URL) or the SQLite file."""
    return os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{DB}"


def make_app(url: str | None = None):
    """Return the app bound to the benchmark database."""
    from kiosk import create_app

    return create_app({"DATABASE_URL": url or database_url(), "SECRET_KEY": "bench",
                       "TESTING": True, "WTF_CSRF_ENABLED": False})


def build_postgresql(url: str) -> None:
    """Migrate and fill a PostgreSQL database that holds no assist yet."""
    from flask_migrate import upgrade
    from sqlalchemy import inspect

    from kiosk.extensions import db
    from kiosk.reports.bulk import seed_bulk

    app = make_app(url)
    with app.app_context():
        if "assist" in inspect(db.engine).get_table_names() and db.session.execute(
                db.text("SELECT 1 FROM assist LIMIT 1")).first():
            return
        upgrade()
        start = time.perf_counter()
        made = seed_bulk(SITES, DAYS, PER_DAY, seed=2026, end=END)
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        print(f"built {made:,} assists in {time.perf_counter() - start:.0f} s")
        db.engine.dispose()


def build() -> None:
    """Create, migrate and fill the database unless it is already there."""
    from flask_migrate import upgrade

    from kiosk.extensions import db
    from kiosk.reports.bulk import seed_bulk

    if database_url().startswith("postgresql"):
        build_postgresql(database_url())
        return
    if DB.exists():
        return
    OUT.mkdir(parents=True, exist_ok=True)
    partial = DB.with_suffix(".building")  # renamed when complete: an interrupted build is redone
    partial.unlink(missing_ok=True)
    app = make_app(f"sqlite:///{partial}")
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        made = seed_bulk(SITES, DAYS, PER_DAY, seed=2026, end=END)
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        print(f"built {made:,} assists in {time.perf_counter() - start:.0f} s")
        db.engine.dispose()
    partial.rename(DB)


def timed(fn, runs: int) -> tuple[float, object]:
    """Return the median wall time in ms of fn over runs, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def summaries(app) -> None:
    """Time a site's month summary and the city's year roll-up."""
    from kiosk.extensions import db
    from kiosk.queue.models import Site
    from kiosk.reports.periods import build_period
    from kiosk.reports.queries import Scope, full_report

    with app.test_request_context():
        site_id = db.session.execute(db.select(Site.id).where(Site.code == "B050")).scalar_one()
        month = Scope(build_period("month", 2026, 6), site_id)
        ms, report = timed(lambda: full_report(month), 5)
        print(f"site month summary (B050, June 2026, {report['assists']:,} assists, all "
              f"indicators): {ms:.0f} ms median of 5")
        year = Scope(build_period("year", 2026))
        ms, report = timed(lambda: full_report(year, with_sites=True), 3)
        print(f"city year roll-up (100 sites, 2026, {report['assists']:,} assists, all indicators "
              f"+ per-site table): {ms:.0f} ms median of 3")
        cutoff = Scope(build_period("year", 2026, basis="cutoff"))
        ms, report = timed(lambda: full_report(cutoff, with_sites=True), 3)
        print(f"city cut-off year roll-up (15/12/2025-14/12/2026, {report['assists']:,} assists, "
              f"all indicators + per-site table): {ms:.0f} ms median of 3")
        custom = Scope(build_period("custom", 2026, first=date(2026, 3, 10), last=date(2026, 9, 20)))
        ms, report = timed(lambda: full_report(custom, with_sites=True), 3)
        print(f"city custom range roll-up (10/03-20/09/2026, {report['assists']:,} assists, all "
              f"indicators + per-site table): {ms:.0f} ms median of 3")
        if db.engine.dialect.name == "sqlite":
            plans(db, {"month/site": month, "year/city": year, "cut-off year/city": cutoff})
        write_cost(db, site_id)


def write_cost(db, site_id: int) -> None:
    """Time one assist's correction committed, with the summaries' increments (the category
    moves between two values, so every run changes the summaries), against the bare UPDATE
    and commit."""
    from kiosk.assists.models import Assist

    assist_id = db.session.execute(db.select(Assist.id).where(
        Assist.site_id == site_id, Assist.local_day == date(2026, 6, 20)).limit(1)).scalar_one()

    def write():
        assist = db.session.get(Assist, assist_id)
        assist.category = "apps" if assist.category != "apps" else "vneid"
        db.session.commit()

    def bare():  # the same write with nothing but the UPDATE: no summaries
        db.session.execute(db.update(Assist).where(Assist.id == assist_id).values(note="x"))
        db.session.commit()

    ms, _ = timed(write, 7)
    plain, _ = timed(bare, 7)
    print(f"one assist correction committed (B050, 20/06/2026, its category changed: the "
          f"summaries' increments at commit): {ms:.1f} ms median of 7 "
          f"(the bare UPDATE and commit: {plain:.1f} ms)")


def plans(db, scopes: dict) -> None:
    """Print SQLite's plans of the queries a report runs (which index each one uses)."""
    from sqlalchemy import func

    from kiosk.assists.models import Assist
    from kiosk.queue.models import Ticket
    from kiosk.reports.exports import row_batches  # noqa: F401  (the CSV reads the log)
    from kiosk.reports.queries import _sources, assist_filters

    for name, scope in scopes.items():
        rows = _sources(scope).c
        summary = db.select(rows.dim, rows.code, rows.number, func.sum(rows.assists)).group_by(
            rows.dim, rows.code, rows.number)
        p90 = (db.select(Assist.wait_seconds).where(*assist_filters(scope),
                                                    Assist.wait_seconds >= 1200,
                                                    Assist.wait_seconds <= 1259)
               .order_by(Assist.wait_seconds).limit(1).offset(10))
        lines = (db.select(Assist.id).where(*assist_filters(scope))
                 .order_by(Assist.local_day, Assist.id))
        tickets = db.select(func.count()).select_from(Ticket).where(
            Ticket.day >= scope.period.first, Ticket.day <= scope.period.last,
            Ticket.status != "cancelled")
        if scope.site_id is not None:
            tickets = tickets.where(Ticket.site_id == scope.site_id)
        for what, query in (("summary", summary), ("p90 wait", p90), ("no-shows", tickets),
                            ("CSV rows", lines)):
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            found = db.session.execute(db.text("EXPLAIN QUERY PLAN " + sql)).all()
            print(f"plan {name} {what}: " + " | ".join(r[-1] for r in found))


def peak_rss_kib() -> int:
    """Return this process's peak resident memory in KiB (Linux VmHWM).

    Not getrusage's ru_maxrss: Linux carries that across exec, so a child started from the
    benchmark would report the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def csv_phase(site: str | None) -> None:
    """Stream the city's (or one site's) whole year as CSV through the view; print rows/s and
    peak memory."""
    from kiosk.auth.models import User
    from kiosk.auth.services import create_api_token
    from kiosk.extensions import db

    app = make_app()
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.username == "bench-city")
                                  ).scalar_one_or_none()
        if user is None:
            from kiosk.queue.models import Site

            first_site = db.session.execute(db.select(db.func.min(Site.id))).scalar_one()
            user = User(username="bench-city", role="city", site_id=first_site, password_hash="!")
            db.session.add(user)
            db.session.flush()
        token = create_api_token(user)
        db.session.commit()
    client = app.test_client()
    before = peak_rss_kib()
    start = time.perf_counter()
    query = {"from": "2026-01-01", "to": "2026-12-31", **({"site": site} if site else {})}
    response = client.get("/reports/assists.csv", buffered=False, query_string=query,
                          headers={"Authorization": f"Bearer {token}"})
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - start
    peak = peak_rss_kib()
    rows = lines - 1
    what = f"site {site}" if site else "city"
    print(f"CSV {what} year ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}): {rows:,} rows, "
          f"{size / 1e6:.1f} MB in {seconds:.2f} s = "
          f"{rows / seconds:,.0f} rows/s; peak RSS {peak / 1024:.0f} MB "
          f"(before the request {before / 1024:.0f} MB)")


def main() -> None:
    """Build if needed, then measure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", choices=("all", "csv"), default="all")
    parser.add_argument("--site", help="the csv phase: one site's year instead of the city's")
    parser.add_argument("--database-url", help="PostgreSQL instead of bench/out/bench.sqlite3")
    args = parser.parse_args()
    if args.database_url:
        os.environ["BENCH_DATABASE_URL"] = args.database_url
    if args.phase == "csv":
        csv_phase(args.site)
        return
    build()
    app = make_app()
    print(f"database {database_url().split('@')[-1]}")
    summaries(app)
    # Fresh processes, so that each peak memory is the export's and nothing else's.
    for site in (None, "B050"):
        subprocess.run([sys.executable, __file__, "--phase", "csv", *(["--site", site] if site else [])],
                       check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


if __name__ == "__main__":
    main()
