"""Error pages in Vietnamese, JSON errors under /api/; the 500 and 503 handlers roll back."""
import sqlite3

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from kiosk.api import is_api_request, json_error
from kiosk.extensions import DatabaseBusy, db
from kiosk.monitoring.metrics import count_database_error

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         429: "too_many_requests", 500: "server_error", 503: "unavailable"}
# SQLite raises OperationalError for a missing table or bad SQL too: those stay 500s (bugs).
SQLITE_OUTAGES = ("database is locked", "database table is locked", "disk i/o error",
                  "unable to open database file", "database or disk is full")


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


def _retry_url() -> str:
    """Where the wait page goes back to: this page, or for a form post the page it came from."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    referrer = request.referrer or ""
    prefix = request.host_url
    return "/" + referrer[len(prefix):] if referrer.startswith(prefix) else "/"


def database_unavailable(exc: Exception):
    """Roll back and answer 503 with Retry-After: the database is locked, gone or too slow."""
    count_database_error("outage")
    # The endpoint, not the path: a ticket's path holds its token.
    current_app.logger.warning("database unavailable (%s %s): %s", request.method, request.endpoint,
                               str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
    try:
        db.session.rollback()
    except Exception:  # a dead connection may refuse even the rollback; the pool replaces it
        db.session.close()
    retry = current_app.config["RETRY_AFTER_SECONDS"]
    if is_api_request():
        response = json_error(503, "unavailable",
                              "the database is unavailable for a moment; retry shortly")
    else:
        # A kiosk's post (taking a number) is posted again by the wait page once the server
        # answers; other forms (a password…) are never echoed back.
        resubmit = request.form if request.method == "POST" and request.blueprint == "touch" else None
        response = current_app.make_response((render_template(
            "errors/unavailable.html", retry=retry, retry_url=_retry_url(), resubmit=resubmit), 503))
    response.headers["Retry-After"] = str(retry)
    response.headers["Cache-Control"] = "no-store"
    return response


def is_outage(exc: Exception) -> bool:
    """Tell a database that is locked, gone or too slow (retry later) from a bug."""
    if isinstance(exc, (PoolTimeoutError, DatabaseBusy)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        if isinstance(exc.orig, sqlite3.Error):
            return any(text in str(exc.orig).lower() for text in SQLITE_OUTAGES)
        return True  # psycopg: connection lost, lock or statement timeout, server shutting down
    return False


def handle_database_error(exc: Exception):
    """An outage of the database is a 503 the client retries; any other driver error is a 500."""
    if is_outage(exc):
        return database_unavailable(exc)
    count_database_error("error")
    return handle_server_error(exc)


def register_error_handlers(app):
    """Attach the handlers to the app."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(PoolTimeoutError, handle_database_error)
    app.register_error_handler(DatabaseBusy, database_unavailable)
    app.register_error_handler(Exception, handle_server_error)
