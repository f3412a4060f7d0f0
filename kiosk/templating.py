"""Template filters and globals: local times, labels in the current language."""
from flask import request
from flask_babel import get_locale

from kiosk import reference
from kiosk.platforms.qr import qr_svg
from kiosk.timeutil import to_local


def localtime(value, fmt: str = "%H:%M") -> str:
    """Format a stored UTC datetime in Asia/Ho_Chi_Minh."""
    if value is None:
        return ""
    return to_local(value).strftime(fmt)


def register(app) -> None:
    """Add the filters and globals."""
    app.add_template_filter(localtime)
    app.add_template_filter(reference.service_name, "service_name")
    app.add_template_global(qr_svg)

    @app.context_processor
    def inject():
        locale = get_locale()
        return {
            "lang": locale.language if locale else "vi",
            "ref": reference,
            "label": reference.label,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
