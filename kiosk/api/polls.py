"""Answering the live screens' polls: 304 while the site's live version is the client's.

A poll names the state it has with If-None-Match (the ETag of its last answer). The ETag is the
site's live version (kiosk/queue/live.py), the local day, the path, and what else the caller
says the answer depends on (`vary`: a query parameter, the user, the minute). When it matches, the answer is a
304 with no body and nothing else read; otherwise the body is computed, or taken from this
process's memo of the same address at the same ETag (a board and forty phones ask the same
questions, and a city's hundred sites each keep their memo until their version moves).

A memo is as fresh as a 304 while its ETag holds: the queue and the phone page are functions
of the site's state and the day alone, and keep theirs as long as that. A body that carries
the server's clock (the board's `now`, the console's waiting seconds) says `memo_seconds`:
it is shared for MEMO_SECONDS at most, as a client's clock offset or timer starts from it.
"""
import hashlib
import json
import threading
import time

from flask import Response, request

from kiosk.extensions import db
from kiosk.queue.live import live_version
from kiosk.timeutil import local_today

MAX_BODIES = 2048  # one per (address, user): a city's boards and phones, bounded

_bodies: dict[tuple, tuple[str, bytes, float]] = {}
_bodies_lock = threading.Lock()


def poll_etag(site_id: int, vary: str = "") -> str:
    """Return the ETag of a site's live state as seen by this poll."""
    version = live_version(db.session, site_id)
    # The path and `vary`, not the whole query: the board's ?after= cursor moves with each
    # call, and an unchanged version means nothing happened since the state the board holds.
    extra = hashlib.blake2s(f"{request.path}|{vary}".encode(), digest_size=6).hexdigest()
    return f"{site_id}.{version}.{local_today():%Y%m%d}.{extra}"


def not_modified(site_id: int, vary: str = "") -> Response | None:
    """Return a 304 when the client already has this state (checked before any other read)."""
    if not request.if_none_match:
        return None
    etag = poll_etag(site_id, vary)
    return _answer(Response(status=304), etag) if request.if_none_match.contains(etag) else None


def poll_response(site_id: int, compute, vary: str = "", memo_seconds: float | None = None) -> Response:
    """Answer a poll: 304 when unchanged, else the JSON of compute() or its memo at this ETag
    (no older than memo_seconds, when given)."""
    etag = poll_etag(site_id, vary)
    if request.if_none_match.contains(etag):
        return _answer(Response(status=304), etag)
    key, now = (request.full_path, vary), time.monotonic()
    memo = _bodies.get(key)
    if memo is not None and memo[0] == etag and (memo_seconds is None or now - memo[2] < memo_seconds):
        body = memo[1]
    else:
        body = json.dumps(compute(), ensure_ascii=False, separators=(",", ":")).encode()
        with _bodies_lock:
            if len(_bodies) >= MAX_BODIES:
                _bodies.clear()
            _bodies[key] = (etag, body, now)
    return _answer(Response(body, mimetype="application/json"), etag)


def _answer(response: Response, etag: str) -> Response:
    """Add the ETag; the client revalidates every time (never a stale screen from a cache)."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def forget_bodies() -> None:
    """Drop the memo of answers (tests)."""
    with _bodies_lock:
        _bodies.clear()
