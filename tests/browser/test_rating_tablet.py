"""The desk's rating tablet (390×844) lights up after a finish, shows the site's scale and stores
the level tapped with its scale; the report screen (1366×768) shows each scale in its words."""
import json
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from tests.live import flask_cli, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESK = 3


def call(base, path, token, body=None):
    request = urllib.request.Request(base + path, method="POST", data=json.dumps(body or {}).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def sql(url, statement):
    engine = create_engine(url)
    with engine.begin() as conn:
        result = conn.execute(text(statement)).all() if statement.startswith("SELECT") else None
        if result is None:
            conn.execute(text(statement))
    engine.dispose()
    return result



@pytest.fixture(scope="module")
def tokens(live_sqlite):
    kiosk = flask_cli(live_sqlite, "create-kiosk", "--site", "DEMO", "--name", "R").strip().splitlines()[-1]
    staff = flask_cli(live_sqlite, "create-token", "canbo").strip().splitlines()[-1]
    return kiosk, staff


def finish_one(base, tokens) -> dict:
    """Issue, call, log and finish a ticket at the desk; return it."""
    kiosk, staff = tokens
    ticket = call(base, "/api/v1/tickets", kiosk, {"service": "apps"})
    called = call(base, f"/api/v1/desks/{DESK}/call-next", staff)["ticket"]
    assert called["id"] == ticket["id"]
    call(base, "/api/v1/assists", staff, {"ticket_id": ticket["id"], "category": "apps"})
    call(base, f"/api/v1/tickets/{ticket['id']}/finish", staff)
    return ticket


def test_tablet_shows_the_sites_scale_and_stores_the_level(live_server, live_sqlite, chromium,
                                                           tokens):
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, live_server, "canbo", f"/desk/{DESK}/rate")
    page.wait_for_url(f"**/desk/{DESK}/rate")
    page.locator("#rate-idle").wait_for()
    screenshot(page, "rating-idle-390x844")

    ticket = finish_one(live_server, tokens)
    page.locator("#rate-ask").wait_for(timeout=3000)
    assert page.locator("#rate-number").inner_text() == ticket["number"]
    assert page.locator("#rate-ask .face").all_inner_texts() == [
        "Hài lòng", "Bình thường", "Không hài lòng"]
    page.evaluate("document.fonts.ready")
    screenshot(page, "rating-ask-3-levels-390x844")
    page.click(".face-happy")
    page.locator("#rate-thanks").wait_for()
    screenshot(page, "rating-thanks-390x844")
    rows = sql(live_sqlite, f"SELECT rating, rating_scale FROM ticket WHERE id = {ticket['id']}")
    assert [tuple(r) for r in rows] == [(3, 3)]  # "Hài lòng" of 3, never "Rất hài lòng"

    # The administrator switches to 5 levels: the idle tablet reloads with the new faces.
    sql(live_sqlite, "UPDATE site SET rating_scale = 5 WHERE code = 'DEMO'")
    page.locator(".faces-5").wait_for(state="attached", timeout=10000)
    ticket = finish_one(live_server, tokens)
    page.locator("#rate-ask").wait_for(timeout=3000)
    assert page.locator("#rate-ask .face").all_inner_texts() == [
        "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
    boxes = [page.locator("#rate-ask .face").nth(i).bounding_box() for i in range(5)]
    assert all(b["height"] >= 72 and b["width"] >= 300 for b in boxes)  # big tap targets
    assert boxes[-1]["y"] + boxes[-1]["height"] <= 844  # every face on screen, no scrolling
    page.evaluate("document.fonts.ready")
    screenshot(page, "rating-ask-5-levels-390x844")
    page.click(".face-happy")
    page.locator("#rate-thanks").wait_for()
    rows = sql(live_sqlite, f"SELECT rating, rating_scale FROM ticket WHERE id = {ticket['id']}")
    assert [tuple(r) for r in rows] == [(4, 5)]  # "Hài lòng" of 5
    page.close()


def test_report_shows_each_scale_in_its_words(live_server, live_sqlite, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, live_server, "vhxh")
    page.goto(live_server + "/reports")
    page.wait_for_selector("#kpi-assists")
    rows = page.locator("#table-satisfaction-3 tbody tr").all_inner_texts()
    assert [r.split("\t")[:2] for r in rows] == [["Hài lòng", "1"], ["Bình thường", "0"],
                                                 ["Không hài lòng", "0"]]
    rows = page.locator("#table-satisfaction-5 tbody tr").all_inner_texts()
    assert [r.split("\t")[:2] for r in rows][:2] == [["Rất hài lòng", "0"], ["Hài lòng", "1"]]
    page.evaluate("document.fonts.ready")
    page.locator("#title-satisfaction-3").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -16)")
    screenshot(page, "report-satisfaction-tables-1366x768")
    page.locator("#satisfaction").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('satisfaction').scrollIntoView({block: 'center'})")
    assert page.locator("#satisfied-share").inner_text() == "100,0 %"
    screenshot(page, "report-satisfaction-share-1366x768")
    page.close()
