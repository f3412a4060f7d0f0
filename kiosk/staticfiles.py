"""Versioned static addresses: /static/css/base.css?v=<content hash>.

A browser (or nginx, see deploy/nginx) may keep a versioned file for a year: a new release
changes the hash, so a kiosk never runs yesterday's script against today's page. Files a
stylesheet or module names by itself (fonts, imported modules) carry no version and are
revalidated instead.
"""
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app, request

YEAR_SECONDS = 365 * 24 * 3600


@lru_cache(maxsize=512)
def _file_version(folder: str, filename: str) -> str | None:
    path = Path(folder, filename)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None  # a missing file keeps its plain address (and answers 404)


def add_static_version(endpoint: str, values: dict) -> None:
    """Add ?v=<hash of the file> to every url_for('static', filename=…)."""
    if endpoint != "static" or "v" in values or not values.get("filename"):
        return
    version = _file_version(current_app.static_folder, values["filename"])
    if version:
        values["v"] = version


def cache_versioned_static(response):
    """Let browsers keep a versioned static file for a year (its address changes with it)."""
    if request.endpoint == "static" and request.args.get("v") and response.status_code in (200, 304):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_SECONDS
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def register(app) -> None:
    """Version static addresses (kiosk/hooks.py caches the versioned files)."""
    app.url_defaults(add_static_version)
