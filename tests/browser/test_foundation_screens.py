"""The landing page, health check and sign-in, driven in Chromium against gunicorn."""
import pytest

from tests.live import external_requests, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_landing_and_login_in_vietnamese(live_server, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    outside = external_requests(page, live_server)
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Hỗ trợ người dân sử dụng dịch vụ số"
    # The bundled Vietnamese font is the one in use, not a fallback (once the page's fonts have
    # loaded: a CI run checked before).
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Be Vietnam Pro\"', 'Hỗ trợ')")
    screenshot(page, "landing-1366x768")

    page.goto(live_server + "/login")
    page.click("button[type=submit]")
    assert page.locator(".error").first.inner_text() == "Vui lòng nhập tên đăng nhập."
    page.fill("#username", "vhxh")
    page.fill("#password", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.locator(".error").inner_text()
    screenshot(page, "login-error-1366x768")
    page.fill("#username", "vhxh")
    page.fill("#password", "vhxh-demo")
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/reports")
    assert "Phòng Văn hóa – Xã hội" in page.locator(".who").inner_text()

    page.goto(live_server + "/healthz")
    assert '"status":"ok"' in page.content().replace(" ", "")
    assert outside == []
    page.close()


def test_language_switch_in_browser(live_server, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.goto(live_server + "/login")
    page.click("a[lang=en]")
    assert page.locator("h1").inner_text() == "Sign in"
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("a[lang=vi]")
    assert page.locator("h1").inner_text() == "Hỗ trợ người dân sử dụng dịch vụ số"
    page.close()
