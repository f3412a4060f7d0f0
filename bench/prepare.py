"""The product's data for bench/load.py: a prepared template database, copied fresh for each run,
and the day's tickets issued over HTTP once the server runs.

The template (migrated, seed-demo, kiosk and staff tokens, every site always open, no daily
caps; for the city 100 more sites) is rebuilt only when the migrations or these scripts change
(or with --fresh), so `--only queue,queue-304,tickets` starts measuring within seconds. Every
run starts from a copy of it: the figures of two runs see the same data.
"""
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from servers import OUT, ROOT, product_env

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
WAITING_PER_SITE = 12  # a morning's queue: what the polls read
FINGERPRINTED = [*sorted((ROOT / "kiosk" / "migrations" / "versions").glob("*.py")),
                 ROOT / "kiosk" / "cli.py", ROOT / "bench" / "seed.py", Path(__file__)]


def run_url(database: str, pg_name: str) -> str:
    """Return the product's DATABASE_URL for a run."""
    if database == "sqlite":
        return f"sqlite:///{OUT / 'load.sqlite3'}"
    return f"{PG_SERVER}/{pg_name}"


def pg(sql: str, dbname: str = "postgres", fetch: bool = False):
    """Run one statement on the PostgreSQL server in autocommit (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={dbname}",
                         autocommit=True) as conn:
        rows = conn.execute(sql)
        return rows.fetchall() if fetch else None


def query(url: str, sql: str) -> list:
    """Return the rows of one read on the run's database (counts for the correctness checks)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute(sql).fetchall()
    return pg(sql, url.rsplit("/", 1)[1], fetch=True)


def flask(url: str, *args: str) -> str:
    """Run `flask --app wsgi …` against a database; return the last line of its output."""
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                            env=product_env(url), capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def fingerprint(city: int) -> str:
    """Hash what the template depends on: the schema's migrations and the seeding code."""
    digest = hashlib.sha256(str(city).encode())
    for path in FINGERPRINTED:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def build_template(url: str, city: int) -> dict:
    """Migrate and seed an empty database; return the tokens and ids the runs need."""
    flask(url, "db", "upgrade")
    flask(url, "seed-demo")
    kiosk = flask(url, "create-kiosk", "--site", "DEMO", "--name", "bench")
    staff = flask(url, "create-token", "canbo")
    seeded = subprocess.run([sys.executable, "bench/seed.py", "--city", str(city)], cwd=ROOT,
                            env=product_env(url), capture_output=True, text=True, timeout=600)
    if seeded.returncode != 0:
        raise RuntimeError(f"bench/seed.py failed:\n{seeded.stdout}{seeded.stderr}")
    extra = json.loads(seeded.stdout.strip().splitlines()[-1])
    # "Always open" is empty opening hours (kiosk/queue/hours.py is_open); no daily caps.
    query_write(url, "UPDATE site SET opening_hours = ''", "UPDATE service SET daily_cap = NULL")
    desks = query(url, "SELECT site.code, desk.id FROM desk JOIN site ON site.id = desk.site_id "
                       "ORDER BY site.code, desk.number")
    desk_ids: dict[str, list[int]] = {}
    for code, desk_id in desks:
        desk_ids.setdefault(code, []).append(desk_id)
    sites = [{"site": "DEMO", "kiosk": kiosk, "staff": staff}] + extra["city"]
    return {"sites": sites, "desks": desk_ids, "demo_officers": extra["demo_officers"],
            "demo_kiosks": extra["demo_kiosks"]}


def query_write(url: str, *statements: str) -> None:
    """Run a few writing statements on a database (template set-up, nobody else connected)."""
    for sql in statements:
        if url.startswith("sqlite"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                conn.execute(sql)
        else:
            pg(sql, url.rsplit("/", 1)[1])


def prepare(database: str, scenario: str, pg_name: str, fresh: bool) -> tuple[str, dict, str]:
    """Copy the scenario's template (building it when missing or stale) into the run's
    database; return its URL, the template's data and what was done, for the printout."""
    city = 100 if scenario == "city-peak" else 0
    kind = "city" if city else "demo"
    meta_path = OUT / f"load-template-{database}-{kind}.json"
    print_note = "reused the prepared template"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and not fresh else {}
    if meta.get("fingerprint") != fingerprint(city):
        print_note = "built the template (migrate, seed-demo, tokens" + (
            f", {city} city sites)" if city else ")")
        OUT.mkdir(parents=True, exist_ok=True)
        meta_path.unlink(missing_ok=True)
        template = _fresh_database(database, f"{pg_name}_template_{kind}",
                                   OUT / f"load-template-{kind}.sqlite3")
        meta = {"fingerprint": fingerprint(city), **build_template(template, city)}
        meta_path.write_text(json.dumps(meta, indent=1))
    url = run_url(database, pg_name)
    if database == "sqlite":
        _copy_sqlite(OUT / f"load-template-{kind}.sqlite3", OUT / "load.sqlite3")
    else:
        pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        pg(f'CREATE DATABASE "{pg_name}" TEMPLATE "{pg_name}_template_{kind}"')
    return url, meta, print_note


def _fresh_database(database: str, pg_template: str, sqlite_template: Path) -> str:
    """Create an empty template database; return its URL."""
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_template}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_template}"
    pg(f'DROP DATABASE IF EXISTS "{pg_template}" WITH (FORCE)')
    pg(f'CREATE DATABASE "{pg_template}"')
    return f"{PG_SERVER}/{pg_template}"


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with the backup API (consistent, WAL content included)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


def bare_url(database: str, pg_name: str, folder: Path) -> str:
    """Return the bare app's database: a SQLite file in its own folder, or a PostgreSQL
    database of its own next to the run's (both servers run side by side)."""
    if database == "sqlite":
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return f"sqlite:///{folder / 'bare.sqlite3'}"
    name = f"{pg_name}_bare"
    if not pg(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", fetch=True):
        pg(f'CREATE DATABASE "{name}"')
    return run_url(database, name)
