"""The board's sound state in Chromium against gunicorn: on from the first call where the browser
allows autoplay (the TV's --autoplay-policy flag), a visible "off" and one tap where it does not,
and a staff member's "off" kept across restarts."""
import contextlib
import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.live import browser, flask_cli, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ALLOWED = "--autoplay-policy=no-user-gesture-required"          # what deploy/kiosk starts the TV with
BLOCKED = "--autoplay-policy=document-user-activation-required"  # a browser's default on a desktop


@pytest.fixture(scope="module")
def launch(playwright):
    """Start Debian's Chromium headless with extra switches: launch(ALLOWED)."""
    with contextlib.ExitStack() as browsers:
        def start(*switches):
            return browsers.enter_context(browser(playwright, *switches))
        yield start


@pytest.fixture(scope="module")
def desk_call(live_server, live_sqlite):
    """Issue a ticket as a kiosk and call it at a desk through the JSON API; return the ticket."""
    kiosk = flask_cli(live_sqlite, "create-kiosk", "--site", "DEMO", "--name", "K").split()[-1]
    staff = flask_cli(live_sqlite, "create-token", "canbo").split()[-1]

    def send(method, path, body=None, token=staff):
        request = urllib.request.Request(
            live_server + path, data=json.dumps(body).encode() if body is not None else None,
            method=method, headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    desks = {d["number"]: d["id"] for d in send("GET", "/api/v1/desks")}

    def finish(desk):
        ticket = serving.pop(desk, None)
        if ticket:
            send("POST", f"/api/v1/tickets/{ticket['id']}/finish")

    def call(desk):
        finish(desk)  # a desk calls the next number once it has finished the last one
        send("POST", "/api/v1/tickets", {"service": "vneid"}, token=kiosk)
        serving[desk] = send("POST", f"/api/v1/desks/{desks[desk]}/call-next")["ticket"]
        return serving[desk]

    serving = {}
    yield call
    for desk in list(serving):
        finish(desk)


def open_board(browser, base):
    """Open the board at 1920×1080 in a fresh profile; record page errors and voice-pack answers."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.errors, page.audio = [], []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("response", lambda r: page.audio.append(r.status)
            if "/display/announce.wav" in r.url else None)
    page.goto(base + "/display?site=DEMO")
    return context, page


def last_announcement(page, count):
    """Wait until the count-th announcement has finished; return its log entry."""
    page.wait_for_function(f"window.boardAnnouncementLog.length === {count} && "
                           f"window.boardAnnouncementLog[{count - 1}].end !== null", timeout=20000)
    return page.evaluate(f"window.boardAnnouncementLog[{count - 1}]")


def test_tv_with_autoplay_speaks_the_first_call_without_a_tap(live_server, launch, desk_call):
    context, page = open_board(launch(ALLOWED), live_server)
    sound = page.locator("button.sound")
    expect(sound).to_have_attribute("aria-pressed", "true")
    expect(sound).to_have_text("Âm thanh: bật")
    expect(sound).to_have_class("sound on")
    ticket = desk_call(1)
    entry = last_announcement(page, 1)
    assert entry["number"] == ticket["number"] and entry["mode"] == "pack"
    assert 200 in page.audio
    screenshot(page, "board-sound-on-1920x1080")

    # A staff member turns sound off: the board keeps it off after a restart, autoplay or not.
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "false")
    page.reload()
    expect(sound).to_have_attribute("aria-pressed", "false")
    expect(sound).to_have_text("Bật âm thanh")
    desk_call(2)
    assert last_announcement(page, 1)["mode"] == "visual"
    assert page.errors == []
    context.close()


def test_blocked_autoplay_shows_off_until_one_tap(live_server, launch, desk_call):
    context, page = open_board(launch(BLOCKED), live_server)
    sound = page.locator("button.sound")
    desk_call(3)
    assert last_announcement(page, 1)["mode"] == "visual"  # decided after the autoplay probe
    expect(sound).to_have_attribute("aria-pressed", "false")
    expect(sound).to_have_text("Bật âm thanh")
    expect(sound).not_to_have_class("sound on")
    color = sound.evaluate("b => getComputedStyle(b).backgroundColor")
    assert color == "rgb(255, 213, 74)"  # the warning look (--board-number)
    screenshot(page, "board-sound-off-1920x1080")

    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")
    expect(sound).to_have_text("Âm thanh: bật")
    ticket = desk_call(1)
    entry = last_announcement(page, 2)
    assert entry["number"] == ticket["number"] and entry["mode"] == "pack"
    assert 200 in page.audio
    assert page.errors == []
    context.close()
