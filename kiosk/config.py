"""Configuration defaults; instance/config.py and environment variables override them."""
import os

# Environment variables read on top of instance/config.py, in this order.
ENV_KEYS = (
    "DATABASE_URL",
    "PUBLIC_URL",
    "SECRET_KEY",
    "BABEL_DEFAULT_LOCALE",
    "KIOSK_RATE_PER_MINUTE",
    "SESSION_COOKIE_SECURE",
    "SQLITE_BUSY_TIMEOUT_MS",
    "PG_LOCK_TIMEOUT_MS",
    "PG_STATEMENT_TIMEOUT_MS",
    "WRITE_SLOTS",
    "PROXY_COUNT",
    "FORWARDED_ALLOW_IPS",
    "LOG_FORMAT",
    "METRICS_TOKEN",
    "METRICS_ALLOW_NETWORKS",
)


class Defaults:
    """Code defaults: the first layer of the configuration."""

    DATABASE_URL = None  # None -> SQLite file in instance/
    # The address citizens' phones reach the server by (guest Wi-Fi or public name), e.g.
    # http://192.168.1.10:8000: every QR code and phone link is built on it (kiosk.links).
    PUBLIC_URL = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = None  # None -> generated into instance/secret_key on first start
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    LOCAL_TIMEZONE = "Asia/Ho_Chi_Minh"
    # A locked database answers 503 within seconds instead of holding every worker thread:
    # writers queue behind each other for at most this long (a ticket takes milliseconds).
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # PostgreSQL only, well below gunicorn's 60 s timeout: a lock wait or a runaway query ends
    # in a 503 the kiosk retries, not in a killed worker.
    PG_LOCK_TIMEOUT_MS = 3000
    PG_STATEMENT_TIMEOUT_MS = 10000
    # Requests that write and may wait for the database at once, per gunicorn worker: keep it
    # below GUNICORN_THREADS so a thread stays free for reads; a writer waits this long for a slot.
    WRITE_SLOTS = 3
    WRITE_SLOT_WAIT_MS = 1000
    HEALTH_TIMEOUT_MS = 800  # /healthz answers within a second: how long its probe may wait for a lock
    RETRY_AFTER_SECONDS = 5  # the Retry-After of a 503 while the database is unavailable
    WTF_CSRF_CHECK_DEFAULT = False  # kiosk.hooks.check_csrf checks, skipping bearer-token calls
    WTF_CSRF_TIME_LIMIT = None  # a kiosk page stays open all day
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 12
    SESSION_LIFETIME_SECONDS = 60 * 60 * 12  # a browser session without "remember" ends too
    # Sign-in throttling (kiosk/auth/throttle.py): after the free failures each further attempt
    # waits 2, 4, 8… seconds (capped); LOCKOUT failures within the window lock the account out.
    LOGIN_FREE_FAILURES_PER_ACCOUNT = 3
    LOGIN_FREE_FAILURES_PER_ADDRESS = 10
    LOGIN_MAX_DELAY_SECONDS = 300
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    LOGIN_LOCKOUT_FAILURES = 10
    LOGIN_LOCKOUT_SECONDS = 15 * 60
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default cost (n=2**15)
    # How many reverse proxies (nginx) stand in front of gunicorn: their X-Forwarded-For/-Proto/
    # -Host are believed (werkzeug's ProxyFix), so the sign-in throttle and /metrics see the
    # citizen's or officer's own address. 0 when browsers reach gunicorn directly (`make run`).
    PROXY_COUNT = 0
    FORWARDED_ALLOW_IPS = "127.0.0.1"  # the proxies' addresses (gunicorn reads the same variable)
    LOG_FORMAT = "text"  # "json": one JSON object a line, with the request id (kiosk.monitoring)
    # /metrics answers these networks (loopback and the private LAN ranges), or a bearer token.
    METRICS_TOKEN = None
    METRICS_ALLOW_NETWORKS = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
    KIOSK_RATE_PER_MINUTE = 30
    KIOSK_COOKIE_DAYS = 3650
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    JSON_BODY_LIMIT = 16 * 1024


def env_overrides() -> dict:
    """Return the configuration keys set in the environment, typed like their defaults."""
    out = {}
    for key in ENV_KEYS:
        raw = os.environ.get(key)
        if raw is None or raw == "":
            continue
        default = getattr(Defaults, key, None)
        if isinstance(default, bool):
            out[key] = raw.lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int):
            out[key] = int(raw)
        else:
            out[key] = raw
    return out
