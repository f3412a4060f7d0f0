"""Error pages in Vietnamese, JSON errors under /api/; the 500 handler rolls back."""
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from kiosk.api import is_api_request, json_error
from kiosk.extensions import db

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         429: "too_many_requests", 500: "server_error", 503: "unavailable"}


def _messages():
    return {
        400: _("Yêu cầu không hợp lệ."),
        401: _("Bạn cần đăng nhập."),
        403: _("Bạn không có quyền vào trang này."),
        404: _("Không tìm thấy trang."),
        405: _("Thao tác không được hỗ trợ."),
        409: _("Không thể thực hiện lúc này."),
        413: _("Dữ liệu gửi lên quá lớn."),
        429: _("Thao tác quá nhanh, vui lòng thử lại sau ít phút."),
        500: _("Đã có lỗi xảy ra. Dữ liệu chưa được lưu, vui lòng thử lại."),
        503: _("Hệ thống tạm thời không sẵn sàng."),
    }


def _render(status: int, message: str | None = None):
    message = message or _messages().get(status, _("Đã có lỗi xảy ra."))
    if is_api_request():
        return json_error(status, CODES.get(status, "error"), message)
    return render_template("errors/error.html", status=status, message=message), status


def handle_http_exception(exc: HTTPException):
    """Render an HTTP error (a ready response from abort_json passes through)."""
    if exc.response is not None:
        return exc.response
    return _render(exc.code or 500)


def handle_csrf_error(exc: CSRFError):
    """Refuse a form without a valid CSRF token."""
    return _render(400, _("Phiên làm việc đã hết hạn, vui lòng tải lại trang và thử lại."))


def handle_server_error(exc: Exception):
    """Roll back whatever the failed request wrote and show a calm 500 page."""
    current_app.logger.exception("unhandled error: %s", exc)
    db.session.rollback()
    return _render(500)


def register_error_handlers(app):
    """Attach the handlers to the app."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_server_error)
