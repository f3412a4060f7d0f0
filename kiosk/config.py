"""Configuration defaults; instance/config.py and environment variables override them."""
import os

# Environment variables read on top of instance/config.py, in this order.
ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "BABEL_DEFAULT_LOCALE",
    "KIOSK_RATE_PER_MINUTE",
    "SESSION_COOKIE_SECURE",
)


class Defaults:
    """Code defaults: the first layer of the configuration."""

    DATABASE_URL = None  # None -> SQLite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = None  # None -> generated into instance/secret_key on first start
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    LOCAL_TIMEZONE = "Asia/Ho_Chi_Minh"
    SQLITE_BUSY_TIMEOUT_MS = 15000
    WTF_CSRF_CHECK_DEFAULT = False  # kiosk.hooks.check_csrf checks, skipping bearer-token calls
    WTF_CSRF_TIME_LIMIT = None  # a kiosk page stays open all day
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 12
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default cost (n=2**15)
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
