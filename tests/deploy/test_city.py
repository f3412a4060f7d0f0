"""A city's layout on one machine: two app servers (two gunicorn instances on two ports) on one
PostgreSQL database behind one nginx, rendered by deploy/install.sh --parts nginx.

A ticket issued through one server is called through the other and shows on a board polling
the first within 2 s; nginx spreads requests over both and keeps answering when one stops.
"""
import contextlib
import json
import threading
import time

import pytest

from kiosk.queue.live import MEMO_SECONDS
from tests.conftest import truncate_all
from tests.deploy.conftest import ROOT, Client, nginx, render_install, require_nginx
from tests.live import flask_cli, free_port, gunicorn

pytestmark = pytest.mark.slow


@pytest.fixture
def city(pg_migrated, tmp_path):
    require_nginx()
    truncate_all(pg_migrated)
    flask_cli(pg_migrated, "seed-demo")
    tokens = {"kiosk": flask_cli(pg_migrated, "create-kiosk", "--site", "DEMO", "--name", "K")
              .strip().splitlines()[-1],
              "staff": flask_cli(pg_migrated, "create-token", "canbo").strip().splitlines()[-1]}
    env = {"PROXY_COUNT": "1", "LOG_FORMAT": "json", "PUBLIC_URL": "https://hotro.city.example"}
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(gunicorn(pg_migrated, workers=2, extra_env=env))
        second_stack = contextlib.ExitStack()
        second = second_stack.enter_context(gunicorn(pg_migrated, workers=2, extra_env=env))
        stack.callback(second_stack.close)
        port = free_port()
        render_install(tmp_path, "--parts", "nginx", "--listen", f"127.0.0.1:{port}",
                       "--upstream", first.removeprefix("http://"),
                       "--upstream", second.removeprefix("http://"))
        stack.enter_context(nginx(tmp_path, port))
        yield {"first": first, "second": second, "proxy": f"http://127.0.0.1:{port}",
               "stop_second": second_stack.close, **tokens}
    truncate_all(pg_migrated)


def board_desks(base: str) -> dict:
    status, _headers, body = Client(base).get("/api/v1/display?site=DEMO")
    assert status == 200
    return {d["desk"]: d["number"] for d in json.loads(body)["desks"]}


def test_issued_on_one_server_called_on_the_other_seen_on_a_board_of_the_first(city):
    seen: dict = {}
    stop = threading.Event()

    def board():
        """The waiting-room TV polling the first server, as display.js does (faster)."""
        while not stop.is_set():
            for desk, number in board_desks(city["first"]).items():
                if number and number not in seen:
                    seen[number] = time.monotonic()
            time.sleep(0.1)

    status, _h, body = Client(city["first"]).post_json("/api/v1/tickets", {"service": "vneid"}, city["kiosk"])
    assert status == 201
    number = json.loads(body)["number"]
    second = Client(city["second"])
    status, _h, body = second.request("GET", "/api/v1/desks",
                                      headers={"Authorization": f"Bearer {city['staff']}"})
    desk = json.loads(body)[0]
    watcher = threading.Thread(target=board, daemon=True)
    watcher.start()
    try:
        time.sleep(0.3)  # the board is polling before the call
        status, _h, body = second.post_json(f"/api/v1/desks/{desk['id']}/call-next", {}, city["staff"])
        called_at = time.monotonic()
        assert status == 200 and json.loads(body)["ticket"]["number"] == number
        deadline = called_at + 5
        while number not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert number in seen, "the first server's board never showed the call"
    assert seen[number] - called_at < 2.0
    # The poll that saw it was one worker's; after its memo's half second every worker shows it.
    time.sleep(MEMO_SECONDS + 0.1)
    assert board_desks(city["first"])[desk["number"]] == number


def routes_served(base: str) -> int:
    """Count the /api/v1/queue requests an instance logged (its JSON access lines)."""
    port = base.rsplit(":", 1)[1]
    count = 0
    for line in (ROOT / "test-artifacts" / f"gunicorn-{port}.log").read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        count += entry.get("route") == "/api/v1/queue"
    return count


def test_nginx_spreads_requests_over_both_servers_and_survives_one_stopping(city):
    proxy = Client(city["proxy"])
    for _ in range(20):
        status, _h, body = proxy.get("/api/v1/queue?site=DEMO")
        assert status == 200 and json.loads(body)["site"] == "DEMO"
    time.sleep(0.5)
    assert routes_served(city["first"]) > 0 and routes_served(city["second"]) > 0
    # a ticket through the proxy is seen by both servers (one database)
    status, _h, body = proxy.post_json("/api/v1/tickets", {"service": "payment"}, city["kiosk"])
    assert status == 201 and json.loads(body)["status_url"].startswith("https://hotro.city.example/t/")
    city["stop_second"]()
    for _ in range(10):
        status, _h, _b = proxy.get("/api/v1/queue?site=DEMO")
        assert status == 200  # nginx sends each request to the server that still answers
    status, _h, _b = proxy.post_json("/api/v1/tickets", {"service": "payment"}, city["kiosk"])
    assert status == 201
