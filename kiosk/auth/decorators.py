"""Access checks for views and API endpoints."""
from functools import wraps

from flask import abort, g, request
from flask_login import current_user

from kiosk.api import abort_json, is_api_request
from kiosk.auth.services import USER_TOKEN_PREFIX, user_for_token
from kiosk.extensions import login_manager


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer …` header."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return None


@login_manager.request_loader
def load_user_from_request(req):
    """Sign in API requests carrying a user's bearer token (never a session)."""
    raw = bearer_token()
    if raw and raw.startswith(USER_TOKEN_PREFIX):
        user = user_for_token(raw)
        if user is not None:
            g.token_auth = True
        return user
    return None


def role_required(*roles):
    """Let only signed-in users with one of `roles` through (401/403 otherwise)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if is_api_request():
                    abort_json(401, "unauthorized", "sign in or send a bearer token")
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                if is_api_request():
                    abort_json(403, "forbidden", "your role may not do this")
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
