"""Several desks pressing "call next" at once against a 4-worker gunicorn never share a ticket."""
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from kiosk import create_app
from kiosk.extensions import db
from tests.conftest import truncate_all
from tests.live import flask_cli, gunicorn

pytestmark = pytest.mark.slow

DESKS = 4
TICKETS = 200
SERVICES = ("vneid", "dvc-submit", "payment", "apps")


def add_desks(url: str, count: int) -> None:
    """Give the seeded DEMO site `count` desks serving every service."""
    from kiosk.admin.services import ensure_desks
    from kiosk.queue.models import Site

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        ensure_desks(site, count)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def post(url: str, token: str, body: dict | None = None) -> tuple[int, dict | None]:
    """POST JSON; a 503 stored nothing, so try again shortly, as the console does."""
    for _attempt in range(20):
        request = urllib.request.Request(url, data=json.dumps(body or {}).encode(), method="POST",
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, json.loads(exc.read() or b"null")
        if status != 503:
            return status, payload
        time.sleep(0.2)
    return status, payload


def run_race(url: str) -> None:
    """Seed tickets, then let every desk call and finish concurrently until nobody waits."""
    add_desks(url, DESKS)
    staff = flask_cli(url, "create-token", "canbo").strip().splitlines()[-1]
    kiosk = flask_cli(url, "create-kiosk", "--site", "DEMO", "--name", "K").strip().splitlines()[-1]
    with gunicorn(url, workers=4, extra_env={"KIOSK_RATE_PER_MINUTE": "100000"}) as base:
        for i in range(TICKETS):
            status, _body = post(f"{base}/api/v1/tickets", kiosk,
                                 {"service": SERVICES[i % 4], "priority": i % 7 == 0})
            assert status == 201
        request = urllib.request.Request(f"{base}/api/v1/desks",
                                         headers={"Authorization": f"Bearer {staff}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            desks = [d["id"] for d in json.loads(response.read())]
        assert len(desks) == DESKS
        called: dict[int, list[int]] = {d: [] for d in desks}
        errors: list = []
        barrier = threading.Barrier(DESKS)
        deadline = time.monotonic() + 180

        def work(desk_id):
            barrier.wait(timeout=30)
            for _ in range(TICKETS):  # bounded: never more calls than tickets
                if time.monotonic() > deadline:
                    errors.append((desk_id, "timeout"))
                    return
                status, body = post(f"{base}/api/v1/desks/{desk_id}/call-next", staff)
                if status == 204:
                    return
                if status != 200:
                    errors.append((desk_id, status, body))
                    return
                ticket_id = body["ticket"]["id"]
                called[desk_id].append(ticket_id)
                status, _body = post(f"{base}/api/v1/tickets/{ticket_id}/finish", staff)
                if status != 200:
                    errors.append((desk_id, "finish", status))
                    return

        threads = [threading.Thread(target=work, args=(d,)) for d in desks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=200)
    assert errors == []
    every = [t for ids in called.values() for t in ids]
    assert len(every) == TICKETS and len(set(every)) == TICKETS  # nobody shared, nobody lost
    assert sum(1 for ids in called.values() if ids) >= 2  # the desks really raced


def test_concurrent_call_next_sqlite(live_sqlite):
    run_race(live_sqlite)


def test_concurrent_call_next_postgresql(pg_migrated):
    truncate_all(pg_migrated)
    flask_cli(pg_migrated, "seed-demo")
    try:
        run_race(pg_migrated)
    finally:
        truncate_all(pg_migrated)
