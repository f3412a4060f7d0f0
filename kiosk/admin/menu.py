"""The one administration menu, shown on every screen an administrator runs the centre from."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# (endpoint the link opens, label, endpoint prefixes of the screens that belong to it)
ADMIN_MENU = (
    ("admin.index", _l("Tổng quan"), ("admin.index",)),
    ("admin.site_settings", _l("Cài đặt Trung tâm"), ("admin.site_settings",)),
    ("admin.users", _l("Người dùng"), ("admin.user",)),
    ("admin.desks", _l("Quầy"), ("admin.desk",)),
    ("admin.services", _l("Nội dung hỗ trợ"), ("admin.service",)),
    ("admin.platforms", _l("Nền tảng học tập"), ("admin.platform",)),
    ("admin.kiosks", _l("Ki-ốt"), ("admin.kiosk",)),
    ("display.admin", _l("Màn hình phòng chờ"), ("display.admin",)),
    ("staff.rota_edit", _l("Lịch trực"), ("staff.rota", "staff.holiday")),
    ("admin.contacts", _l("Liên hệ lại"), ("admin.contact",)),
    ("admin.audit", _l("Nhật ký"), ("admin.audit",)),
)


def admin_menu() -> list[dict]:
    """Return the menu's links for an administrator on an administration screen, else []."""
    endpoint = request.endpoint or ""
    if not current_user.is_authenticated or current_user.role != "admin":
        return []
    items = [{"endpoint": target, "label": label, "current": endpoint.startswith(prefixes)}
             for target, label, prefixes in ADMIN_MENU]
    return items if any(item["current"] for item in items) else []
