"""Shared pieces of the JSON API under /api/v1: errors as JSON, bodies parsed strictly."""
import json
import math
import re

from flask import abort, current_app, g, jsonify, request

API_PREFIX = "/api/"
MAX_JSON_DEPTH = 16  # our bodies are flat objects; anything deeper is an attack on the parser
INT_LIMIT = 2**53 - 1  # the largest integer every JSON reader keeps exactly; views check ranges
# C0 control characters except tab, LF and CR: PostgreSQL refuses NUL in text, and none of the
# others belongs in a name, a code or a note. Lone surrogates cannot be encoded as UTF-8.
BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{\]}]', re.DOTALL)  # strings, brackets
_UNSET = object()


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


def is_bad_text(value: str) -> bool:
    """Tell whether text holds a control character or a lone surrogate."""
    return BAD_TEXT.search(value) is not None


def _read_limited(limit: int) -> bytes:
    """Read the body, at most limit bytes, or stop with 413 (chunked uploads carry no length)."""
    if request.content_length is not None and request.content_length > limit:
        abort_json(413, "too_large", "request body too large")
    chunks, size = [], 0
    while size <= limit:
        chunk = request.stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        abort_json(413, "too_large", "request body too large")
    return b"".join(chunks)


def _json_depth(text: str) -> int:
    """Return the deepest bracket nesting of JSON text (counted before parsing, not recursively)."""
    depth = deepest = 0
    for match in JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _parse_int(raw: str) -> int:
    value = int(raw)  # more than 4300 digits raises ValueError
    if abs(value) > INT_LIMIT:
        raise ValueError("integer out of range")
    return value


def _parse_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _check_strings(data) -> None:
    """Raise ValueError when any key or string of parsed JSON is not clean UTF-8 text."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if is_bad_text(item):
                raise ValueError("strings must be UTF-8 text without control characters")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(raw: bytes):
    """Parse a JSON body strictly: UTF-8, bounded depth, safe integers, no NaN, clean text."""
    text = raw.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError("JSON nested too deeply")
    data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                      parse_constant=_refuse_constant)
    _check_strings(data)
    return data


def request_json():
    """Return the request's parsed JSON body (read once, cached), or stop with 400/413."""
    cached = g.get("json_body", _UNSET)
    if cached is not _UNSET:
        return cached
    if not request.is_json:
        abort_json(400, "bad_json", "body must be a JSON object")
    raw = _read_limited(current_app.config["JSON_BODY_LIMIT"])
    try:
        data = parse_json(raw)
    except (ValueError, RecursionError, UnicodeError):
        abort_json(400, "bad_json", f"body must be UTF-8 JSON nested at most {MAX_JSON_DEPTH} "
                   "deep, with integers within ±2**53 and text without control characters")
    g.json_body = data
    return data


def json_body() -> dict:
    """Return the request's JSON object, or stop with a 400/413 saying what is wrong."""
    data = request_json()
    if not isinstance(data, dict):
        abort_json(400, "bad_json", "body must be a JSON object")
    return data
