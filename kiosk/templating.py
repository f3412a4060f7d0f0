"""Template filters and globals: local times, labels in the current language."""
from flask import request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from kiosk import reference
from kiosk.admin.menu import admin_menu
from kiosk.platforms.qr import qr_svg
from kiosk.timeutil import to_local


def localtime(value, fmt: str = "%H:%M") -> str:
    """Format a stored UTC datetime in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return to_local(value).strftime(fmt)


def demo_banner() -> dict | None:
    """Return the demo-password warning's link for a signed-in user, or None when not needed."""
    from kiosk.auth.queries import demo_passwords_published

    if not current_user.is_authenticated or not demo_passwords_published():
        return None
    if current_user.role == "admin":
        return {"url": url_for("admin.users"),
                "text": _l("Đổi mật khẩu hoặc khóa các tài khoản demo")}
    if current_user.is_demo:
        return {"url": url_for("auth.password"), "text": _l("Đổi mật khẩu của bạn")}
    return {"url": None, "text": ""}


def register(app) -> None:
    """Add the filters and globals."""
    app.add_template_filter(localtime)
    app.add_template_filter(reference.service_name, "service_name")
    app.add_template_global(qr_svg)
    app.add_template_global(demo_banner)
    app.add_template_global(admin_menu)

    @app.context_processor
    def inject():
        locale = get_locale()
        return {
            "lang": locale.language if locale else "vi",
            "ref": reference,
            "label": reference.label,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
