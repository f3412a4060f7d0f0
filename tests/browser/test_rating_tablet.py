"""The desk's rating tablet lights up by itself after a finish and stores the face (390×844)."""
import json
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from tests.live import flask_cli, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def call(base, path, token, body=None):
    request = urllib.request.Request(base + path, method="POST", data=json.dumps(body or {}).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_tablet_lights_up_and_rates(live_server, live_sqlite, chromium):
    kiosk = flask_cli(live_sqlite, "create-kiosk", "--site", "DEMO", "--name", "R").strip().splitlines()[-1]
    staff = flask_cli(live_sqlite, "create-token", "canbo").strip().splitlines()[-1]
    desk = 3
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server + f"/login?next=/desk/{desk}/rate")
    page.fill("#username", "canbo")
    page.fill("#password", "canbo-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/desk/{desk}/rate")
    page.locator("#rate-idle").wait_for()
    screenshot(page, "rating-idle-390x844")

    ticket = call(live_server, "/api/v1/tickets", kiosk, {"service": "apps"})
    called = call(live_server, f"/api/v1/desks/{desk}/call-next", staff)["ticket"]
    assert called["id"] == ticket["id"]
    call(live_server, f"/api/v1/tickets/{ticket['id']}/finish", staff)
    page.locator("#rate-ask").wait_for(timeout=3000)
    assert page.locator("#rate-number").inner_text() == ticket["number"]
    page.evaluate("document.fonts.ready")
    screenshot(page, "rating-ask-390x844")
    page.click(".face-happy")
    page.locator("#rate-thanks").wait_for()
    screenshot(page, "rating-thanks-390x844")
    engine = create_engine(live_sqlite)
    with engine.connect() as conn:
        rating = conn.execute(text(f"SELECT rating FROM ticket WHERE id = {ticket['id']}")).scalar_one()
    engine.dispose()
    assert rating == 5
    page.close()
