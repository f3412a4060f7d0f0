"""Desks, services and platforms in Chromium: the icon picker, and the live QR preview as one types."""
import pytest

from tests.live import external_requests, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _qr_source(page) -> str:
    return page.locator("#qr-preview .qr-box img").get_attribute("src") or ""


def test_platform_form_redraws_the_qr_code_while_typing(live_server, chromium):
    page = chromium.new_page(bypass_csp=True, viewport={"width": 1366, "height": 768})
    outside = external_requests(page, live_server)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server, "admin", "/admin/platforms/new")
    page.goto(live_server + "/admin/platforms/new")
    preview = page.locator("#qr-preview")
    assert page.locator("#qr-preview .qr-box img").count() == 0

    page.locator("#url").press_sequentially("https://hoc.example.vn", delay=20)
    page.wait_for_function("document.getElementById('qr-preview').dataset.state === 'ok'")
    first = _qr_source(page)
    assert "hoc.example.vn" in first
    assert page.evaluate("document.querySelector('#qr-preview img').naturalWidth") > 0
    assert preview.locator(".qr-status").inner_text() == "https://hoc.example.vn"

    page.locator("#url").press_sequentially("/khoa-1", delay=20)
    page.wait_for_function("document.getElementById('qr-preview').dataset.state === 'ok'"
                           " && document.querySelector('#qr-preview img').src.includes('khoa-1')")
    assert _qr_source(page) != first
    screenshot(page, "admin-platform-qr-preview-1366x768")

    page.locator("#url").fill("")
    page.locator("#url").press_sequentially("javascript:alert(1)", delay=10)
    page.wait_for_function("document.getElementById('qr-preview').dataset.state === 'bad'")
    assert "Địa chỉ chưa đúng" in preview.locator(".qr-status").inner_text()
    assert page.locator("#qr-preview .qr-box img").count() == 0
    assert errors == [] and outside == []
    page.close()


def test_service_form_icon_picker_shows_icons_with_words(live_server, chromium):
    page = chromium.new_page(bypass_csp=True, viewport={"width": 1366, "height": 768})
    sign_in(page, live_server, "admin", "/admin/services/new")
    page.goto(live_server + "/admin/services/new")
    choice = page.locator(".icon-choice", has_text="Sức khỏe")
    assert choice.locator("svg").is_visible()
    choice.click()
    assert choice.locator("input").is_checked()
    screenshot(page, "admin-service-new-1366x768")
    page.close()
