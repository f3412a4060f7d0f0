"""Sign in and out, change one's password."""
import math
from urllib.parse import urlsplit

from flask import flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from kiosk.auth import bp, throttle
from kiosk.auth.decorators import role_required
from kiosk.auth.forms import LoginForm, PasswordForm
from kiosk.auth.services import (
    authenticate, change_password, record_failed_login, record_login, record_logout,
)
from kiosk.auth.sessions import current_session, end_session, start_session
from kiosk.extensions import db

HOME_BY_ROLE = {
    "admin": "admin.index",
    "officer": "staff.console",
    "volunteer": "staff.console",
    "reporter": "reports.index",
    "city": "reports.index",
}


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this server, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    """Return the URL a user lands on after signing in."""
    return url_for(HOME_BY_ROLE.get(user.role, "main.index"))


def refusal_message(refusal: throttle.Refusal) -> str:
    """Say in words how long a refused sign-in must wait."""
    if refusal.locked_out:
        return _("Đăng nhập sai quá nhiều lần, tài khoản tạm khóa. Thử lại sau %(n)s phút.",
                 n=math.ceil(refusal.seconds / 60))
    return _("Đăng nhập sai nhiều lần. Thử lại sau %(n)s giây.", n=refusal.seconds)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in (throttled after failures)."""
    form = LoginForm()
    if form.validate_on_submit():
        typed = form.username.data.strip()
        address = request.remote_addr
        # Refused before the password is looked at: a waiting attacker learns nothing and costs
        # no hashing, and the worker answers at once instead of sleeping.
        refusal = throttle.refusal(typed, address)
        if refusal is not None:
            form.password.errors.append(refusal_message(refusal))
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(refusal.seconds)
            return response
        user = authenticate(typed, form.password.data)
        if user is None:
            record_failed_login(typed)
            throttle.note_failure(typed, address)
            db.session.commit()
            form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        else:
            previous = current_session() if current_user.is_authenticated else None
            if previous is not None:
                end_session(previous)  # this browser's earlier sign-in ends here
            throttle.forget_failures(user.username)
            throttle.prune()
            start_session(user, remember=form.remember.data)
            login_user(user, remember=form.remember.data)
            record_login(user)
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("auth.password"))
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    elif current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")) or home_for(current_user))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out: this browser's session ends on the server too."""
    record_logout(current_user)
    row = current_session()
    if row is not None:
        end_session(row)
    db.session.commit()
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Let the signed-in user replace their password (forced after a temporary one)."""
    form = PasswordForm(current_user)
    if form.validate_on_submit():
        change_password(current_user, form.new_password.data, keep=current_session())
        db.session.commit()
        flash(_("Đã đổi mật khẩu."), "success")
        return redirect(home_for(current_user))
    response = make_response(render_template("auth/password.html", form=form),
                             400 if form.errors else 200)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/v1/me")
@role_required()
def me():
    """Return who the token or session belongs to."""
    return jsonify({"username": current_user.username, "role": current_user.role,
                    "site": current_user.site.code})
