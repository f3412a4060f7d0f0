"""A request id on every request, and one JSON log line per request when LOG_FORMAT=json.

The line names the URL rule (`/t/<token>`), never the path or the query: a ticket's token is
the key to its phone page, and a search box may hold a citizen's name. Nor does it hold the
client's address (personal data under Decree 356/2025).
"""
import logging
import os
import re
import sys
import time

from flask import current_app, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from kiosk.monitoring.metrics import record_request

REQUEST_ID_HEADER = "X-Request-ID"
GOOD_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")  # nginx's $request_id is 32 hex digits
ACCESS_LOGGER = "kiosk.access"


def route_of_request() -> str:
    """Return the URL rule that answered the request, or a fixed word for none."""
    rule = request.url_rule
    return rule.rule if rule is not None else "(unmatched)"


def start_request() -> None:
    """Take the proxy's request id (or make one) and start the request's clock."""
    g.request_started = time.perf_counter()
    incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
    g.request_id = incoming if GOOD_REQUEST_ID.fullmatch(incoming) else os.urandom(16).hex()


def finish_request(response):
    """Echo the request id, count the request, and log it as one JSON line when asked."""
    started = g.pop("request_started", None)
    seconds = time.perf_counter() - started if started is not None else 0.0
    route = route_of_request()
    request_id = g.get("request_id")
    if request_id:
        response.headers.add(REQUEST_ID_HEADER, request_id)  # no view sets it
    record_request(request.method, route, response.status_code, seconds)
    if current_app.config["LOG_FORMAT"] == "json":
        logging.getLogger(ACCESS_LOGGER).info("request", extra={
            "method": request.method, "route": route, "endpoint": request.endpoint,
            "status": response.status_code, "duration_ms": round(seconds * 1000, 2),
            "bytes": response.calculate_content_length(),
        })
    return response


class RequestIdFilter(logging.Filter):
    """Add the current request's id to every record logged while it runs."""

    def filter(self, record):
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


def json_handler() -> logging.Handler:
    """A stderr handler writing each record as one JSON object."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                       rename_fields={"asctime": "time", "levelname": "level",
                                                      "name": "logger"},
                                       timestamp=False))
    handler.addFilter(RequestIdFilter())
    return handler


def configure_logging(app) -> None:
    """In JSON mode, send the app's and the access log's records to stderr as JSON lines."""
    if app.config["LOG_FORMAT"] != "json":
        return
    handler = json_handler()
    for logger in (app.logger, logging.getLogger(ACCESS_LOGGER)):
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.disabled = False  # an in-process migration's fileConfig may have disabled it
