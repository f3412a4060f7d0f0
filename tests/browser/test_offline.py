"""Server unreachable: the kiosk shows the Vietnamese wait page, not Chromium's error, and returns."""
import pytest

from tests.browser.kiosk_helpers import LANDSCAPE, paired_kiosk
from tests.live import screenshot
from tests.reliability.conftest import Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_kiosk_tap_while_server_is_down_waits_and_comes_back(chromium, live_sqlite):
    server = Server(live_sqlite, workers=1, threads=4)
    server.start()
    context = None
    try:
        context, page = paired_kiosk(chromium, server.base, LANDSCAPE)
        page.goto(server.base + "/kiosk")
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
        link = page.locator("a[href*='/kiosk/s/']").first
        wanted = link.get_attribute("href")

        server.kill()  # a power cut: master and workers gone at once
        link.click()
        page.wait_for_selector("text=Xin chờ trong giây lát", timeout=15000)
        html = page.content()
        assert "can't be reached" not in html and "ERR_CONNECTION_REFUSED" not in html
        assert page.url.endswith(wanted)
        screenshot(page, "offline-wait")

        server.start()  # the same port
        page.wait_for_selector("[data-wait]", state="detached", timeout=20000)
        assert page.url.endswith(wanted)
        page.wait_for_selector(".choice-row", timeout=10000)  # the priority question is back
    finally:
        if context:
            context.close()
        server.stop()
