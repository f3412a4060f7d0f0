"""Fixtures: an app on a fresh database per test (SQLite always, PostgreSQL when configured)."""
import copy
import os
import shutil
import sys

import pytest
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.exc import ProgrammingError

from kiosk import create_app
from kiosk.extensions import db
from tests.live import CHEAP_HASH

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
_pg_reason = None


def postgres_unavailable() -> str | None:
    """Return why PostgreSQL tests cannot run, or None when they can (asked once)."""
    global _pg_reason
    if _pg_reason is None:
        if not PG_URL:
            _pg_reason = "TEST_DATABASE_URL is not set: PostgreSQL tests SKIPPED"
        else:
            try:
                engine = create_engine(PG_URL)
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                engine.dispose()
                _pg_reason = ""
            except Exception as exc:  # unreachable server, bad URL
                _pg_reason = f"PostgreSQL at TEST_DATABASE_URL unreachable ({exc.__class__.__name__}): SKIPPED"
        if _pg_reason:
            print(f"\n!!! {_pg_reason}", file=sys.stderr)
    return _pg_reason or None


def pytest_report_header(config):
    reason = postgres_unavailable()
    return f"PostgreSQL: {'ENABLED (' + PG_URL + ')' if not reason else reason}"


def migrate_to_head(url: str, instance_path) -> None:
    """Apply every Alembic migration to the database at url."""
    from flask_migrate import upgrade

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated, empty SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate_to_head(f"sqlite:///{path}", None)
    return path


@pytest.fixture(scope="session")
def pg_migrated():
    """Migrate the PostgreSQL test database once per session, from empty."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    migrate_to_head(PG_URL, None)
    return PG_URL


def truncate_all(url: str) -> None:
    """Empty every table of the PostgreSQL test database and restart its ids.

    DELETE in foreign-key order, children first, then each sequence restarted: on a test's
    few rows this takes 6 ms where TRUNCATE … RESTART IDENTITY CASCADE took 80 (it replaces
    each table's files), and it runs before every PostgreSQL test. The tables are read from
    the database itself, so any table a migration made is emptied too.
    """
    if url not in _ENGINES:  # one connection kept (checked before use: tests kill backends)
        _ENGINES[url] = create_engine(url, pool_size=1, pool_pre_ping=True)
    for fresh in (False, True):  # the schema may have changed since it was read: read again
        try:
            with _ENGINES[url].begin() as conn:
                conn.exec_driver_sql(_emptying(conn, url, fresh))
            return
        except ProgrammingError:
            if fresh:
                raise


_ENGINES: dict = {}
_EMPTYING: dict[str, str] = {}


def _emptying(conn, url: str, fresh: bool) -> str:
    """Return the statements emptying the database's tables, read from it once (reflection
    takes 200 ms)."""
    if fresh or url not in _EMPTYING:
        tables = MetaData()
        tables.reflect(conn)
        names = [t.name for t in reversed(tables.sorted_tables) if t.name != "alembic_version"]
        sequences = conn.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars()
        _EMPTYING[url] = "; ".join([*(f'DELETE FROM "{n}"' for n in names),
                                    *(f'ALTER SEQUENCE "{q}" RESTART' for q in sequences)])
    return _EMPTYING[url]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template):
    """A fresh, migrated database per test: a copy of the SQLite template, or PostgreSQL emptied."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    truncate_all(url)
    return url


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_METHOD": CHEAP_HASH,  # cheap for tests; production keeps the default
}
_APPS: dict = {}  # database kind -> (the kind's app, its configuration as built)


@pytest.fixture
def app(request, database_url):
    """The app, bound to a fresh database.

    One app per database kind serves every test: building one costs about 90 ms (Werkzeug
    compiles each URL rule's builder) and each new app compiles its templates again. Before
    each test its configuration is put back as built, it is pointed at the test's database
    and the process memos are emptied, as create_app does. A test that adds routes or hooks
    is marked `own_app` and gets an app of its own.
    """
    if request.node.get_closest_marker("own_app"):
        app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    else:
        app = _shared_app(request.node.callspec.params["database_url"], database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _shared_app(kind: str, url: str):
    """Return the kind's app, its configuration restored and its engine on url."""
    from kiosk import engine_options, forget_process_memos, normalise_database_url

    if kind not in _APPS:
        built = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        _APPS[kind] = (built, copy.deepcopy(dict(built.config)))
        return built
    app, config = _APPS[kind]
    app.config.clear()
    app.config.update(copy.deepcopy(config))
    app.config["DATABASE_URL"] = url
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    engines = db._app_engines[app]  # Flask-SQLAlchemy 3.1's engines of this app (pinned)
    if engines[None].url.render_as_string(hide_password=False) != app.config["SQLALCHEMY_DATABASE_URI"]:
        engines[None].dispose()
        options = {**engine_options(app.config), "url": app.config["SQLALCHEMY_DATABASE_URI"],
                   "echo": False, "echo_pool": False}
        db._apply_driver_defaults(options, app)
        engines[None] = db._make_engine(None, options, app)
    forget_process_memos()
    return app


@pytest.fixture
def make_app():
    """Build extra apps with their own config; their connections are closed afterwards."""
    made = []

    def build(config):
        made.append(create_app({"TESTING": True, "PASSWORD_HASH_METHOD": CHEAP_HASH, **config}))
        return made[-1]
    yield build
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield


@pytest.fixture
def demo(app, runner):
    """The DEMO site, its desks, platforms and users, as `flask seed-demo` creates them."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def login(client):
    """Sign a demo user in through the form: login("canbo")."""
    from kiosk.cli import DEMO_USERS

    passwords = {u: p for u, _r, _n, p in DEMO_USERS}

    def do(username):
        response = client.post("/login", data={"username": username,
                                               "password": passwords[username]})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return do


@pytest.fixture(scope="module")
def live_sqlite(tmp_path_factory, sqlite_template):
    """A seeded SQLite database file for a module's gunicorn server."""
    from tests.live import flask_cli

    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    flask_cli(url, "seed-demo")
    return url


@pytest.fixture(scope="module")
def live_server(live_sqlite):
    """gunicorn with 2 workers serving the seeded SQLite database; yields the base URL."""
    from tests.live import gunicorn

    with gunicorn(live_sqlite, workers=2) as base:
        yield base


@pytest.fixture(scope="session")
def playwright():
    """Playwright's sync API, started once: it may run only once at a time."""
    from playwright.sync_api import sync_playwright

    from tests.live import require_chromium

    require_chromium()
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium(playwright):
    """Debian's Chromium, headless, through Playwright: one for the run (each test opens its
    own contexts, which share nothing)."""
    from tests.live import browser

    with browser(playwright) as instance:
        yield instance


@pytest.fixture
def site(app, demo):
    """The DEMO site's id, inside an app context for services."""
    from kiosk.queue.models import Site

    with app.app_context():
        yield db.session.execute(db.select(Site).filter_by(code="DEMO")).scalar_one()


@pytest.fixture
def kiosk_token(runner, demo):
    """A registered kiosk's bearer token for the DEMO site."""
    result = runner.invoke(args=["create-kiosk", "--site", "DEMO", "--name", "Kiosk test"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


@pytest.fixture
def paired(app, client, demo):
    """Pair the test client's browser as a kiosk of DEMO (sets the signed cookie)."""
    from kiosk.queue.models import Site
    from kiosk.touch.services import register_kiosk, start_pairing

    with app.app_context():
        site_id = db.session.execute(db.select(Site.id).filter_by(code="DEMO")).scalar_one()
        device, _raw = register_kiosk(site_id, "Kiosk sảnh")
        code = start_pairing(device)
        db.session.commit()
        device_id = device.id
    response = client.post("/kiosk/pair", data={"code": code})
    assert response.status_code == 302
    return device_id


def count_rows(app, model, **filters) -> int:
    """Count a table's rows (optionally filtered)."""
    with app.app_context():
        stmt = db.select(db.func.count()).select_from(model).filter_by(**filters)
        return db.session.execute(stmt).scalar_one()


@pytest.fixture
def other_admin(app, demo, client):
    """A second site, B, with one desk and its own administrator; call it to sign in on client."""
    from kiosk.admin.services import ensure_desks, ensure_site
    from kiosk.auth.services import create_user
    with app.app_context():
        site = ensure_site("B", "Trung tâm B")
        ensure_desks(site, 1)
        create_user("quantri-b", "matkhau-b-123", "admin", site.id)
        db.session.commit()

    def sign_in():
        assert client.post("/login", data={"username": "quantri-b",
                                           "password": "matkhau-b-123"}).status_code == 302
        return client
    return sign_in


def pytest_sessionfinish(session, exitstatus):
    """Close the connection truncate_all keeps."""
    for engine in _ENGINES.values():
        engine.dispose()
