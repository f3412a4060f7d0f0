"""Prometheus metrics of this process (and of every gunicorn worker, in multiprocess mode).

gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR at a fresh directory before the workers
start, so each worker writes its counters there and /metrics adds them up; without it (tests,
`flask run`) the process's own registry is served.
"""
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest,
)
from prometheus_client import multiprocess

# Routes are URL rules (/t/<token>), never paths: a ticket's token never becomes a label.
REQUESTS = Counter("kiosk_http_requests_total", "HTTP requests answered",
                   ["method", "route", "status"])
LATENCY = Histogram("kiosk_http_request_duration_seconds", "Time to answer a request",
                    ["route"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
TICKETS_ISSUED = Counter("kiosk_tickets_issued_total", "Queue numbers issued", ["site"])
DATABASE_ERRORS = Counter("kiosk_database_errors_total",
                          "Requests that met a database error", ["kind"])


# labels() takes a lock and builds a key on every call: keep each series' child instead (the
# set of routes, methods and statuses is small and fixed by the URL map).
_children: dict = {}


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    key = (method, route, status)
    children = _children.get(key)
    if children is None:
        children = _children[key] = (REQUESTS.labels(method=method, route=route, status=str(status)),
                                     LATENCY.labels(route=route))
    children[0].inc()
    children[1].observe(seconds)


def count_ticket(site_code: str) -> None:
    """Count a committed ticket."""
    TICKETS_ISSUED.labels(site=site_code).inc()


def count_database_error(kind: str) -> None:
    """Count a request that met the database unavailable ("outage") or failing ("error")."""
    DATABASE_ERRORS.labels(kind=kind).inc()


def exposition() -> tuple[bytes, str]:
    """Return the metrics in Prometheus' text format, summed over workers when there are several."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=path)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
