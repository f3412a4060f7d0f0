"""The waiting-room board in Chromium against gunicorn (2 workers): live calls, announcements in
order, a network drop, the portrait layout, QR codes and no resource from outside."""
import json
import time
import urllib.request
from datetime import time as clock

import pytest
from playwright.sync_api import expect

from tests.live import SCREENSHOTS, external_requests, flask_cli, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Api:
    """Issue tickets as a kiosk and call them as a desk officer, through the real JSON API."""

    def __init__(self, base, database_url):
        self.base = base
        self.kiosk = flask_cli(database_url, "create-kiosk", "--site", "DEMO", "--name", "K")
        self.kiosk = self.kiosk.strip().splitlines()[-1]
        self.staff = flask_cli(database_url, "create-token", "canbo").strip().splitlines()[-1]
        self.desks = {d["number"]: d["id"] for d in self.send("GET", "/api/v1/desks")}

    def send(self, method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Authorization": f"Bearer {token or self.staff}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def issue(self, service="vneid"):
        return self.send("POST", "/api/v1/tickets", {"service": service}, token=self.kiosk)

    def call(self, desk):
        return self.send("POST", f"/api/v1/desks/{self.desks[desk]}/call-next")["ticket"]

    def recall(self, ticket):
        self.send("POST", f"/api/v1/tickets/{ticket['id']}/recall")

    def finish(self, ticket):
        self.send("POST", f"/api/v1/tickets/{ticket['id']}/finish")


@pytest.fixture(scope="module")
def api(live_server, live_sqlite):
    prepare_site(live_sqlite)
    return Api(live_server, live_sqlite)


def prepare_site(database_url):
    """Put two helpers on today's rota and a first ticker, straight into the server's database."""
    from kiosk import create_app
    from kiosk.auth.models import User
    from kiosk.extensions import db
    from kiosk.staff.models import DutyShift
    from kiosk.timeutil import local_today

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "live-test-secret"})
    with app.app_context():
        users = {u.username: u for u in db.session.execute(db.select(User)).scalars()}
        today = local_today().weekday()
        for name, start, end in (("canbo", clock(7, 30), clock(11, 30)),
                                 ("doanvien", clock(13, 30), clock(17, 0))):
            db.session.add(DutyShift(site_id=users[name].site_id, user_id=users[name].id,
                                     weekday=today, start=start, end=end))
        users["admin"].site.ticker = "Chào mừng quý khách đến Trung tâm."
        db.session.commit()
        db.engine.dispose()


def assert_nothing_cut_off(page):
    """Every panel shows all of its content and the board fits the screen without scrolling."""
    clipped = page.evaluate("""() => [...document.querySelectorAll('.serving, .side > section')]
        .filter(el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
        .map(el => el.className)""")
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def spoken(number, desk):
    digits = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
    spelled = "-".join([number[0]] + [digits[int(d)] for d in number[1:]])
    return f"Mời số {spelled} đến quầy số {desk}"


def set_ticker(chromium, base, text):
    """Sign in as the administrator and save the ticker through the admin form."""
    page = chromium.new_page(bypass_csp=True, viewport={"width": 1366, "height": 768})
    sign_in(page, base, "admin")
    page.goto(base + "/display/admin")
    page.fill("#ticker", text)
    page.click("text=Lưu dòng thông báo")
    expect(page.locator(".flash")).to_have_text("Đã lưu dòng thông báo.")
    # The clip list offers the number words a desk ≥ 10 is read with.
    expect(page.locator("#clip")).to_contain_text("“mười”")
    page.screenshot(path=str(SCREENSHOTS / "display-admin-full.png"), full_page=True)
    page.close()


def test_calls_reach_the_board_and_are_announced_in_order(live_server, chromium, api):
    page = chromium.new_page(bypass_csp=True, viewport={"width": 1920, "height": 1080})
    outside = external_requests(page, live_server)
    page.goto(live_server + "/display?site=DEMO")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Be Vietnam Pro\"', 'Mời số')")
    set_ticker(chromium, live_server, "Giờ làm việc: sáng 7h30–11h30, chiều 13h30–17h00. "
                                      "Người cao tuổi, người khuyết tật được ưu tiên.")
    expect(page.locator(".ticker-text")).to_contain_text("Giờ làm việc", timeout=3000)
    expect(page.locator(".duty-list")).to_contain_text("Hương")

    tickets = [api.issue() for _ in range(5)]
    assert [t["number"] for t in tickets] == ["A001", "A002", "A003", "A004", "A005"]
    first = api.call(1)
    called_at = time.monotonic()
    desk1 = page.locator('.desk[data-desk="1"] .desk-number')
    expect(desk1).to_have_text("A001", timeout=2000)
    assert time.monotonic() - called_at < 2.0
    assert desk1.bounding_box()["height"] >= 0.10 * 1080
    expect(page.locator(".waiting-list")).to_contain_text("4")

    api.recall(first)
    api.finish(first)
    burst = [api.call(desk) for desk in (1, 2, 3)]
    assert [t["number"] for t in burst] == ["A002", "A003", "A004"]
    expect(page.locator(".callout")).to_be_visible(timeout=2000)
    expect(page.locator('.desk[data-desk="3"] .desk-number')).to_have_text("A004", timeout=2000)
    screenshot(page, "display-call-1920x1080")

    page.wait_for_function("window.boardAnnouncements.length >= 5", timeout=30000)
    assert page.evaluate("window.boardAnnouncements") == [
        spoken("A001", 1), spoken("A001", 1), spoken("A002", 1), spoken("A003", 2),
        spoken("A004", 3)]
    page.wait_for_function("window.boardAnnouncementLog.every(e => e.end !== null)", timeout=10000)
    log = page.evaluate("window.boardAnnouncementLog")
    assert all(a["end"] <= b["start"] for a, b in zip(log, log[1:]))  # never two at once
    assert [e["kind"] for e in log] == ["called", "recalled", "called", "called", "called"]
    expect(page.locator(".callout")).to_be_hidden(timeout=5000)
    expect(page.locator(".recent-list li").first).to_contain_text("A004")
    screenshot(page, "display-1920x1080")
    assert_nothing_cut_off(page)
    assert outside == []
    for ticket in burst:
        api.finish(ticket)
    page.close()


def test_sound_tap_is_remembered_and_plays_the_voice_pack(live_server, chromium, api):
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    outside = external_requests(page, live_server)
    audio = []
    page.on("response", lambda r: audio.append((r.status, r.headers.get("content-type")))
            if "/display/announce.wav" in r.url else None)
    page.goto(live_server + "/display?site=DEMO&desks=2")
    sound = page.locator("button.sound")
    expect(sound).to_have_text("Bật âm thanh")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")
    api.issue()
    ticket = api.call(2)
    page.wait_for_function("window.boardAnnouncementLog.length === 1 && "
                           "window.boardAnnouncementLog[0].end !== null", timeout=20000)
    entry = page.evaluate("window.boardAnnouncementLog[0]")
    assert entry["text"] == spoken(ticket["number"], 2)
    assert entry["mode"] == "pack" and entry["end"] - entry["start"] > 2000
    assert (200, "audio/wav") in audio
    page.reload()  # without the TV's autoplay flag a restart needs the tap again: shown as off
    expect(page.locator("button.sound")).to_have_attribute("aria-pressed", "false")
    assert outside == []
    api.finish(ticket)
    context.close()


def test_board_survives_a_network_drop(live_server, chromium, api):
    page = chromium.new_page(bypass_csp=True, viewport={"width": 1920, "height": 1080})
    page.goto(live_server + "/display?site=DEMO")
    api.issue()
    ticket = api.call(1)
    desk1 = page.locator('.desk[data-desk="1"] .desk-number')
    expect(desk1).to_have_text(ticket["number"], timeout=2000)

    page.route("**/api/v1/display**", lambda route: route.abort("internetdisconnected"))
    badge = page.locator(".conn")
    expect(badge).to_be_visible(timeout=3000)
    expect(badge).to_have_text("mất kết nối")
    expect(desk1).to_have_text(ticket["number"])  # the last state stays on screen
    api.finish(ticket)
    api.issue()
    later = api.call(1)
    screenshot(page, "display-offline-1920x1080")

    page.unroute("**/api/v1/display**")
    expect(badge).to_be_hidden(timeout=3000)
    expect(desk1).to_have_text(later["number"], timeout=2000)
    api.finish(later)
    page.close()


def test_portrait_layout_and_qr_codes(live_server, chromium, api):
    from io import BytesIO

    import zxingcpp
    from PIL import Image

    from kiosk.reference import SERVICES

    page = chromium.new_page(bypass_csp=True, viewport={"width": 1080, "height": 1920})
    outside = external_requests(page, live_server)
    api.issue()
    ticket = api.call(2)
    for code, *_rest in SERVICES:  # every service has someone waiting: the longest list
        api.issue(code)
    page.goto(live_server + "/display?site=DEMO")
    page.evaluate("document.fonts.ready")
    number = page.locator('.desk[data-desk="2"] .desk-number')
    expect(number).to_have_text(ticket["number"])
    assert number.bounding_box()["height"] >= 0.10 * 1920
    for selector in (".desks", ".recent", ".waiting", ".duty", ".platforms", ".ticker"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1080, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1920, selector
    assert page.locator(".waiting-list li").count() == len(SERVICES)
    screenshot(page, "display-1080x1920")
    assert_nothing_cut_off(page)

    qr = page.locator(".platform:not([hidden]) .qr svg")
    found = zxingcpp.read_barcodes(Image.open(BytesIO(qr.screenshot())))
    assert [code.text for code in found] == ["https://binhdanhocvuso.gov.vn"]

    page.set_viewport_size({"width": 1920, "height": 1080})
    assert number.bounding_box()["height"] >= 0.10 * 1080
    screenshot(page, "display-busy-1920x1080")
    assert_nothing_cut_off(page)
    assert outside == []
    api.finish(ticket)
    page.close()
