"""Administration: the site's users and their passwords."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk import reference
from kiosk.admin import bp
from kiosk.admin.helpers import own
from kiosk.auth.accounts import (
    SITE_ROLES, create_account, delete_account, has_history, reset_password, set_active,
    unlock_account, update_account,
)
from kiosk.auth.decorators import role_required
from kiosk.auth.forms import NewUserForm, UserEditForm
from kiosk.auth.models import User
from kiosk.auth.queries import locked_accounts
from kiosk.auth.sessions import current_session
from kiosk.extensions import db

SEARCH_LIMIT = 500


def like_escape(text: str) -> str:
    """Escape LIKE's wildcards so a typed `_` or `%` matches itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _role_choices(keep: str | None = None) -> list[tuple[str, str]]:
    """The roles a site administrator may give, plus the user's current one (a `city` user)."""
    roles = SITE_ROLES + ((keep,) if keep and keep not in SITE_ROLES else ())
    return [(code, reference.label(reference.ROLE_LABELS, code)) for code in roles]


def _one_time(template: str, **context):
    """Render a page that shows a password once: never cached, never stored in the session."""
    response = make_response(render_template(template, **context))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/admin/users")
@role_required("admin")
def users():
    """List the site's users, optionally filtered by a name or username search."""
    q = (request.args.get("q") or "").strip()[:64]
    stmt = db.select(User).where(User.site_id == current_user.site_id)
    if q:
        pattern = "%" + like_escape(q) + "%"
        stmt = stmt.where(User.full_name.ilike(pattern, escape="\\")
                          | User.username.ilike(pattern, escape="\\"))
    rows = db.session.execute(stmt.order_by(User.active.desc(), User.full_name, User.username)
                              .limit(SEARCH_LIMIT)).scalars().all()
    locked = locked_accounts([u.username for u in rows])
    return render_template("admin/users.html", users=rows, q=q, locked=locked)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new():
    """Create a user of the site and show their temporary password once."""
    form = NewUserForm()
    form.role.choices = _role_choices()
    if form.validate_on_submit():
        user, password = create_account(current_user.site_id, form.username.data,
                                        form.full_name.data, form.role.data)
        db.session.commit()
        return _one_time("admin/user_password.html", user=user, password=password, created=True)
    return render_template("admin/user_new.html", form=form), 400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id):
    """Change a user's name and role; an administrator cannot demote themselves."""
    user = own(User, user_id)
    form = UserEditForm(obj=user)
    form.role.choices = _role_choices(keep=user.role)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != "admin":
            form.role.errors.append(_l("Bạn không thể tự bỏ quyền quản trị của mình."))
        else:
            update_account(user, form.full_name.data, form.role.data, current_user.site_id)
            db.session.commit()
            flash(_("Đã lưu người dùng %(name)s.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user,
                           deletable=not has_history(user)), 400 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/reset", methods=["POST"])
@role_required("admin")
def user_reset(user_id):
    """Give a user a new temporary password and show it once."""
    user = own(User, user_id)
    # Resetting one's own password keeps this browser signed in; every other session ends.
    keep = current_session() if user.id == current_user.id else None
    password = reset_password(user, current_user.site_id, keep=keep)
    db.session.commit()
    return _one_time("admin/user_password.html", user=user, password=password, created=False)


@bp.route("/admin/users/<int:user_id>/toggle", methods=["POST"])
@role_required("admin")
def user_toggle(user_id):
    """Deactivate an active user or reactivate an inactive one (never oneself)."""
    user = own(User, user_id)
    if user.id == current_user.id:
        flash(_("Bạn không thể tự khóa tài khoản của mình."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    set_active(user, not user.active, current_user.site_id)
    db.session.commit()
    if user.active:
        flash(_("Đã mở lại tài khoản %(name)s.", name=user.username), "success")
    else:
        flash(_("Đã khóa tài khoản %(name)s.", name=user.username), "info")
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<int:user_id>/unlock", methods=["POST"])
@role_required("admin")
def user_unlock(user_id):
    """Lift a user's sign-in lock-out (after too many wrong passwords) before it runs out."""
    user = own(User, user_id)
    unlock_account(user, current_user.site_id)
    db.session.commit()
    flash(_("Đã mở khóa đăng nhập cho %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<int:user_id>/delete", methods=["POST"])
@role_required("admin")
def user_delete(user_id):
    """Delete a user who has no assists, served tickets or audit events."""
    user = own(User, user_id)
    if user.id == current_user.id or has_history(user):
        flash(_("Không thể xóa người dùng đã có lượt hỗ trợ, lượt phục vụ hoặc nhật ký thao tác "
                "— số liệu phải giữ nguyên. Hãy khóa tài khoản thay vì xóa."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    username = user.username
    delete_account(user, current_user.site_id)
    db.session.commit()
    flash(_("Đã xóa người dùng %(name)s.", name=username), "info")
    return redirect(url_for("admin.users"))
