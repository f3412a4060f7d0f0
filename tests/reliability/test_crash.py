"""SIGKILL a 4-worker gunicorn under load, restart it: every acknowledged write is still there.

Kiosks issue tickets and a volunteer logs assists (bearer tokens) from 8 client threads; the
master and its workers are killed at once twice (a power cut), and started again on the same
port. Every 2xx ticket and assist must be in the database afterwards, and the numbering must
go on without a duplicate.
"""
import http.client
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from tests.reliability.conftest import kiosk_token, request, serving, staff_token

pytestmark = pytest.mark.slow
CLIENTS, KILLS, PHASE_SECONDS = 8, 2, 2.0


def _load(base: str, kiosk: str, staff: str, stop: threading.Event, out: dict, lock):
    """One client: alternately issue a ticket and log an assist until stopped."""
    i = 0
    while not stop.is_set():
        i += 1
        if i % 2:
            path, body, auth = "/api/v1/tickets", {"service": ("vneid", "payment")[i % 4 // 2]}, kiosk
        else:
            path, body, auth = "/api/v1/assists", {"category": "vneid", "channel": "mobile",
                                                   "place": "Thôn Đông"}, staff
        try:
            status, _h, payload, _t = request(base, "POST", path, body,
                                              {"Authorization": f"Bearer {auth}"}, timeout=10)
        except (OSError, http.client.HTTPException):  # the server died mid-answer
            with lock:
                out["errors"] += 1
            time.sleep(0.05)
            continue
        with lock:
            out["requests"] += 1
            if status == 201 and path.endswith("tickets"):
                out["tickets"].append((payload["id"], payload["number"]))
            elif status == 201:
                out["assists"].extend(a["id"] for a in payload["assists"])
            elif status >= 500:
                out["5xx"] += 1


def test_acknowledged_writes_survive_sigkill(seeded_url):
    kiosk, staff = kiosk_token(seeded_url), staff_token(seeded_url, "doanvien")
    out = {"requests": 0, "errors": 0, "5xx": 0, "tickets": [], "assists": []}
    lock, stop = threading.Lock(), threading.Event()
    started = time.monotonic()
    with serving(seeded_url, workers=4, threads=4,
                 extra_env={"KIOSK_RATE_PER_MINUTE": "1000000"}) as server:
        clients = [threading.Thread(target=_load, args=(server.base, kiosk, staff, stop, out, lock))
                   for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        for _ in range(KILLS):
            time.sleep(PHASE_SECONDS)
            server.kill()
            time.sleep(0.3)
            server.start()
        time.sleep(PHASE_SECONDS)
        stop.set()
        for client in clients:
            client.join()
    engine = create_engine(seeded_url)
    with engine.connect() as conn:
        tickets = dict(conn.execute(text("SELECT id, label FROM ticket")).all())
        assists = {row[0] for row in conn.execute(text("SELECT id FROM assist"))}
        duplicates = conn.execute(text(
            "SELECT count(*) FROM (SELECT site_id, service_id, day, number FROM ticket "
            "GROUP BY site_id, service_id, day, number HAVING count(*) > 1) AS d")).scalar_one()
    engine.dispose()
    lost_tickets = [t for t in out["tickets"] if tickets.get(t[0]) != t[1]]
    lost_assists = [a for a in out["assists"] if a not in assists]
    print(f"\n[crash {seeded_url.split(':')[0]}] requests={out['requests']} "
          f"connection_errors={out['errors']} kills={KILLS} 5xx={out['5xx']} "
          f"acknowledged tickets={len(out['tickets'])} assists={len(out['assists'])} "
          f"lost={len(lost_tickets) + len(lost_assists)} duplicates={duplicates} "
          f"seconds={time.monotonic() - started:.0f}")
    assert out["tickets"] and out["assists"]
    assert lost_tickets == [] and lost_assists == []
    assert duplicates == 0
    assert max(Counter(label for _id, label in out["tickets"]).values()) == 1
