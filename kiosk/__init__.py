"""The digital-help kiosk of a one-stop service centre: create_app() builds the Flask app."""
import os
import secrets
from pathlib import Path

from flask import Flask

from kiosk.config import Defaults, env_overrides

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, CLI. No queries."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"), instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    register_config(app, test_config)
    register_proxy(app)
    register_logging(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errors(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def register_config(app: Flask, test_config: dict | None) -> None:
    """Layer the configuration: code defaults, instance/config.py, environment, test overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(env_overrides())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(Path(app.instance_path))
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'kiosk.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)


def engine_options(config) -> dict:
    """Add PostgreSQL's lock and statement timeouts (libpq options) to the engine options."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", 5)
        connect_args.setdefault("options", f"-c lock_timeout={int(config['PG_LOCK_TIMEOUT_MS'])} "
                                           f"-c statement_timeout={int(config['PG_STATEMENT_TIMEOUT_MS'])}")
        options["connect_args"] = connect_args
    return options


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_or_create_secret_key(instance: Path) -> str:
    """Read instance/secret_key, creating it (mode 600) on first start; never in the repo."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker created it first
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty; delete it to generate a new key")
    return key


def register_proxy(app: Flask) -> None:
    """Believe the forwarded headers of PROXY_COUNT reverse proxies (nginx) in front of us,
    when they come from FORWARDED_ALLOW_IPS."""
    count = int(app.config["PROXY_COUNT"])
    if count > 0:
        from kiosk.proxy import TrustedProxyFix

        app.wsgi_app = TrustedProxyFix(app.wsgi_app, count, app.config["FORWARDED_ALLOW_IPS"])


def register_logging(app: Flask) -> None:
    """Log as JSON lines when LOG_FORMAT is "json" (the default stays Flask's text)."""
    from kiosk.monitoring.requestlog import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from kiosk.extensions import (
        CookieSessions, babel, csrf, db, login_manager, migrate, set_sqlite_busy_timeout,
    )
    from kiosk.main.views import select_locale

    app.session_interface = CookieSessions()

    set_sqlite_busy_timeout(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "kiosk" / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "kiosk" / "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    import kiosk.models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    from kiosk.auth.sessions import user_for_session

    forget_process_memos()

    @login_manager.user_loader
    def load_user(session_id: str):
        # Cookies carry a server-side session's id; revoked or expired ones are refused.
        return user_for_session(session_id)


def forget_process_memos() -> None:
    """Empty this process's memos (live versions, poll bodies, token users): they describe
    one database, so an app bound to another starts them empty."""
    from kiosk.api.polls import forget_bodies
    from kiosk.auth.services import forget_token_users
    from kiosk.queue.live import forget_memo

    forget_memo()
    forget_bodies()
    forget_token_users()


def register_url_converters(app: Flask) -> None:
    """Bound <int:…> to the database's integer range: a huge id is a 404, never a 500."""
    from werkzeug.routing import IntegerConverter

    class DatabaseIntConverter(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseIntConverter


def register_blueprints(app: Flask) -> None:
    """Mount each feature's blueprint."""
    from kiosk import (
        admin, assists, auth, display, main, monitoring, platforms, queue, reports, staff, touch,
    )

    for feature in (main, monitoring, auth, queue, touch, platforms, staff, assists, display,
                    reports, admin):
        app.register_blueprint(feature.bp)


def register_request_hooks(app: Flask) -> None:
    """Per-request hooks: a request id and clock, a bounded number of waiting writers, input
    refused early, CSRF (not for valid tokens), password change, security headers, the count
    and log line of each request."""
    from kiosk.extensions import end_session_quietly, release_write_slot
    from kiosk.hooks import after_each_request, before_each_request

    app.before_request(before_each_request)
    app.after_request(after_each_request)
    # A locked database must not take every thread of a worker (see take_write_slot).
    app.teardown_request(release_write_slot)
    # Registered after db.init_app, so it runs first (teardowns run in reverse order).
    app.teardown_appcontext(end_session_quietly)


def register_errors(app: Flask) -> None:
    """Error pages and JSON errors."""
    from kiosk.errors import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates use; versioned static addresses."""
    from kiosk import staticfiles
    from kiosk.templating import register

    register(app)
    staticfiles.register(app)


def register_cli(app: Flask) -> None:
    """Add the flask commands."""
    from kiosk.cli import register

    register(app)
