"""Landing page, health check, language switch, the offline service worker and wait page."""
from flask import current_app, jsonify, redirect, render_template, request, send_from_directory, url_for
from sqlalchemy import text

from kiosk.auth.views import safe_next
from kiosk.extensions import db, sqlite_busy_timeout
from kiosk.links import public_url_problem
from kiosk.main import bp
from kiosk.queue.models import Site

LANG_COOKIE = "lang"


@bp.route("/")
def index():
    """Link to every screen."""
    sites = db.session.execute(db.select(Site).where(Site.active.is_(True))
                               .order_by(Site.code)).scalars().all()
    return render_template("main/index.html", sites=sites)


@bp.route("/healthz")
def healthz():
    """Answer 200 when the database can be read and written within a short timeout, else 503.

    It also says whether PUBLIC_URL is fit for phones ("ok", "unset", "loopback", "invalid"),
    so deploy/smoke.sh can check a deployment from outside.
    """
    try:
        probe_database(current_app.config["HEALTH_TIMEOUT_MS"])
    except Exception as exc:  # any driver error means "not healthy"
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", str(exc).splitlines()[0] if str(exc) else exc)
        response = jsonify({"status": "error", "database": "unreachable"})
        response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER_SECONDS"])
        return response, 503
    return jsonify({"status": "ok", "database": "ok",
                    "public_url": public_url_problem(current_app.config.get("PUBLIC_URL")) or "ok"})


def probe_database(timeout_ms: int) -> None:
    """Read and write the ticket table in a transaction that is rolled back; raise when stuck.

    The write matches no row but still needs the write lock (SQLite) or a ROW EXCLUSIVE lock
    on ticket (PostgreSQL), so a locked file, a locked table or a read-only server all fail.
    """
    timeout_ms = int(timeout_ms)
    with db.engine.connect() as conn, sqlite_busy_timeout(conn, timeout_ms):
        conn.execution_options(write=True)  # BEGIN IMMEDIATE on SQLite
        with conn.begin() as transaction:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"SET LOCAL lock_timeout = {timeout_ms}"))
                conn.execute(text(f"SET LOCAL statement_timeout = {timeout_ms}"))
            conn.execute(text("SELECT count(*) FROM ticket WHERE id = 0"))
            conn.execute(text("UPDATE ticket SET number = number WHERE id = 0"))
            transaction.rollback()


@bp.route("/sw.js")
def service_worker():
    """Serve the service worker from the root, so it may control /kiosk, /display and /t/."""
    response = send_from_directory(current_app.static_folder, "js/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    """The wait page the service worker pre-caches and shows when the server is unreachable."""
    return render_template("main/offline.html", retry=3, retry_url="")


@bp.route("/lang/<code>")
def set_language(code):
    """Remember the chosen language in a cookie and go back."""
    target = safe_next(request.args.get("next")) or url_for("main.index")
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response


def select_locale() -> str:
    """Pick the language: the remembered choice, else Vietnamese."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
