"""gunicorn settings for `make run`; every value can be overridden from the environment."""
import os
import re

from gunicorn.glogging import Logger

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 20
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

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
