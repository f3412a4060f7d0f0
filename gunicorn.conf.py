"""gunicorn settings for `make run` and the systemd unit; every value can be overridden from the
environment (PORT, BIND, WEB_CONCURRENCY, GUNICORN_THREADS, FORWARDED_ALLOW_IPS, LOG_FORMAT)."""
import multiprocessing
import os
import re
import shutil
import tempfile

from gunicorn.glogging import Logger


def default_workers() -> int:
    """Two workers a core plus one (gunicorn's advice), at most 8: each holds a thread pool."""
    return min(2 * multiprocessing.cpu_count() + 1, 8)


bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A request never needs a minute (the database answers 503 within seconds); on a restart a
# worker finishes what it is answering for up to 20 s; keep-alive connections from nginx.
timeout = 60
graceful_timeout = 20
keepalive = 5
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
json_logs = os.environ.get("LOG_FORMAT", "text") == "json"
# In JSON mode the app writes the access line itself (kiosk/monitoring/requestlog.py: route,
# status, duration and request id); gunicorn's own would repeat it as text.
accesslog = None if json_logs else "-"
errorlog = "-"
# gunicorn's control socket (one path per user) is unused, and two servers on one machine
# (a city's app servers, the tests) would fight over it.
control_socket_disable = True

# Prometheus: each worker writes its counters into one directory that /metrics adds up.
# A fresh directory per server start, made before the workers fork (they inherit it).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kiosk-metrics-")


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the metrics (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory of this server start."""
    shutil.rmtree(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""), ignore_errors=True)


if json_logs:
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO",
                                       "propagate": False}},
    }

# A ticket's token is the key to its phone page: /t/<token> and /kiosk/ticket/<token> never
# reach the access log, in the request line, the path, the query or the referrer (also
# percent-encoded, as in ?next=%2Ft%2F…).
_SLASH = r"(?:/|%2[Ff])"
TICKET_PATH = re.compile(rf"({_SLASH}(?:t|kiosk{_SLASH}ticket){_SLASH})[^/?&#\s\"%]+")


def redact(value):
    """Replace the token of every ticket path in a log value."""
    return TICKET_PATH.sub(r"\1REDACTED", value) if isinstance(value, str) else value


class RedactingLogger(Logger):
    """gunicorn's logger, with ticket tokens taken out of every access-log field."""

    def atoms(self, resp, req, environ, request_time):
        return {key: redact(value)
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = RedactingLogger
