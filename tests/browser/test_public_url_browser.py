"""The administrator sees, on the first page, when phones cannot open the ticket QR codes; with
PUBLIC_URL set, the kiosk's ticket QR decodes to that address and the phone page opens there."""
import pytest

from tests.live import gunicorn, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_admin_overview_warns_without_public_url(live_server, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, live_server, "admin")
    page.goto(live_server + "/admin")
    warning = page.locator(".public-url-warning")
    assert warning.is_visible()
    assert "Chưa đặt PUBLIC_URL" in warning.inner_text()
    assert "/t/" in warning.locator("code").inner_text()
    box = warning.bounding_box()
    assert box["y"] + box["height"] <= 768  # above the fold: the first thing an admin reads
    screenshot(page, "admin-public-url-warning-1366x768")
    page.close()


def test_admin_overview_is_quiet_with_public_url(live_sqlite, chromium):
    with gunicorn(live_sqlite, workers=1, extra_env={"PUBLIC_URL": "http://192.168.1.10:8000"}) as base:
        page = chromium.new_page(viewport={"width": 1366, "height": 768})
        sign_in(page, base, "admin")
        page.goto(base + "/admin")
        assert page.locator("h1").is_visible() and page.locator(".public-url-warning").count() == 0
        page.close()
