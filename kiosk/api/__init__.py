"""Shared pieces of the JSON API under /api/v1: errors as JSON, bodies parsed strictly."""
from flask import abort, current_app, jsonify, request

API_PREFIX = "/api/"


def is_api_request() -> bool:
    """Tell whether the current request is for the JSON API."""
    return request.path.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str, **extra):
    """Build a JSON error response: {"error": {"code", "message", …}}."""
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    return response


def abort_json(status: int, code: str, message: str, **extra):
    """Stop the request with a JSON error."""
    abort(json_error(status, code, message, **extra))


def json_body() -> dict:
    """Return the request's JSON object, or stop with a 400/413 saying what is wrong."""
    if request.content_length and request.content_length > current_app.config["JSON_BODY_LIMIT"]:
        abort_json(413, "too_large", "request body too large")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort_json(400, "bad_json", "body must be a JSON object")
    return data
