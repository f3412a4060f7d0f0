"""Landing page, health check, language switch."""
from flask import current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from kiosk.auth.views import safe_next
from kiosk.extensions import db
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
    """Answer 200 when the database is reachable, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not healthy"
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", exc)
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


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
