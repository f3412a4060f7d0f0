"""A new user, created by the administrator, must replace the temporary password before working."""
import pytest

from tests.live import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEW_PASSWORD = "Hoa-sen-trong-ao-2025"


def test_new_user_changes_temporary_password_then_reaches_console(live_server, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, live_server, "admin")
    assert page.locator(".demo-banner[role=alert]").is_visible()
    page.goto(live_server + "/admin/users/new")
    page.fill("#username", "mai.le")
    page.fill("#full_name", "Lê Thị Mai")
    page.select_option("#role", "volunteer")
    page.click("main button[type=submit]")
    password = page.locator("#temp-password").inner_text().strip()
    assert len(password) >= 10
    screenshot(page, "user-created-1366x768")
    page.click(".signout button[type=submit]")

    page.fill("#username", "mai.le")
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/account/password")
    page.goto(live_server + "/console")
    assert page.url == live_server + "/account/password"
    page.fill("#current_password", password)
    page.fill("#new_password", "matkhau123")
    page.fill("#confirm", "matkhau123")
    page.click("main button[type=submit]")
    assert "quá phổ biến" in page.locator(".error").inner_text()
    screenshot(page, "password-error-1366x768")
    page.fill("#current_password", password)
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server + "/console")
    assert "Lê Thị Mai" in page.locator(".who").inner_text()
    page.close()
