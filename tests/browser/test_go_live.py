"""A centre set up from nothing: the site from the command line, everything else in the browser,
then a citizen takes a number at the newly paired kiosk and the new officer calls it at the new desk."""
import shutil

import pytest

from tests.live import external_requests, flask_cli, gunicorn, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN_PASSWORD = "Lan-quan-tri-2026"
OFFICER_PASSWORD = "Cau-Rao-hai-phong-9"
OFFICE = {"width": 1366, "height": 768}


def _sign_in(page, base, username, password):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _admin_sets_up_the_centre(page, base) -> tuple[str, str]:
    """Desk, service, platform, officer and kiosk through the admin screens; return the secrets."""
    _sign_in(page, base, "quantri", ADMIN_PASSWORD)
    assert page.url == base + "/admin"
    assert page.locator(".adminmenu a").count() == 11
    assert page.locator(".demo-banner").count() == 0  # no demo account in this database
    screenshot(page, "golive-admin-home-1366x768")

    page.click(".adminmenu a:has-text('Quầy')")
    page.goto(base + "/admin/desks/new")
    page.fill("#number", "1")
    page.fill("#name", "Quầy 1 – Hỗ trợ định danh")
    page.click("main form button[type=submit]")
    page.locator("td", has_text="Quầy 1 – Hỗ trợ định danh").wait_for()
    screenshot(page, "golive-desks-1366x768")

    page.goto(base + "/admin/services/new")
    page.fill("#code", "bhyt")
    page.fill("#prefix", "Y")
    page.fill("#name_vi", "Bảo hiểm y tế điện tử (VssID)")
    page.fill("#name_en", "Electronic health insurance (VssID)")
    page.locator(".icon-choice", has_text="Sức khỏe").click()
    page.click("main form button[type=submit]")
    page.locator("td", has_text="Bảo hiểm y tế điện tử (VssID)").wait_for()
    screenshot(page, "golive-services-1366x768")

    page.goto(base + "/admin/platforms/new")
    page.fill("#code", "hoc-so-hp")
    page.fill("#name", "Học số Hải Phòng")
    page.fill("#url", "https://hocso.haiphong.gov.vn")
    page.fill("#description_vi", "Khóa học kỹ năng số miễn phí của thành phố")
    page.fill("#description_en", "The city's free digital-skills courses")
    page.locator(".qr-preview img").wait_for()
    screenshot(page, "golive-platform-form-1366x768")
    page.click("main form button[type=submit]")
    page.locator("td", has_text="Học số Hải Phòng").wait_for()

    page.goto(base + "/admin/users/new")
    page.fill("#username", "tuan.pham")
    page.fill("#full_name", "Phạm Minh Tuấn")
    page.select_option("#role", "officer")
    page.click("main form button[type=submit]")
    temporary = page.locator("#temp-password").inner_text().strip()
    screenshot(page, "golive-user-created-1366x768")

    page.goto(base + "/admin/kiosks")
    page.fill("#name", "Ki-ốt sảnh chính")
    page.click("form.panel button[type=submit]")
    panel = page.locator(".pairing-panel", has_text="Ki-ốt sảnh chính")
    code = panel.locator(".pairing-code").inner_text().strip()
    assert "Hết hạn lúc" in panel.inner_text()
    screenshot(page, "golive-kiosk-pairing-1366x768")
    return temporary, code


def test_a_centre_goes_live_from_nothing(tmp_path, sqlite_template, chromium):
    path = tmp_path / "centre.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    flask_cli(url, "create-site", "LECHAN", "--name", "Trung tâm Phục vụ hành chính công phường Lê Chân",
              "--address", "Số 8 Hồ Sen, Hải Phòng")
    flask_cli(url, "create-user", "quantri", "--role", "admin", "--site", "LECHAN",
              "--name", "Vũ Thị Lan", input_text=ADMIN_PASSWORD + "\n")

    with gunicorn(url, workers=2) as base:
        admin = chromium.new_context(viewport=OFFICE).new_page()
        outside = external_requests(admin, base)
        temporary, code = _admin_sets_up_the_centre(admin, base)

        kiosk = chromium.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True).new_page()
        kiosk.goto(base + "/kiosk")
        kiosk.fill("#code", code)
        kiosk.click("button[type=submit]")
        kiosk.locator("a[data-service=bhyt]").wait_for()
        kiosk.tap("a[data-service=bhyt]")
        kiosk.wait_for_url("**/kiosk/s/bhyt")
        kiosk.tap("#priority-no")
        kiosk.wait_for_url("**/kiosk/s/bhyt/p/0")
        kiosk.tap("#take-number")
        kiosk.wait_for_url("**/kiosk/ticket/**")
        assert kiosk.locator("#ticket-number").inner_text() == "Y001"
        screenshot(kiosk, "golive-kiosk-ticket-1080x1920")
        kiosk.goto(base + "/kiosk/learn")
        assert "Học số Hải Phòng" in kiosk.locator("main").inner_text()

        officer = chromium.new_context(viewport=OFFICE).new_page()
        _sign_in(officer, base, "tuan.pham", temporary)
        officer.wait_for_url(base + "/account/password")
        officer.fill("#current_password", temporary)
        officer.fill("#new_password", OFFICER_PASSWORD)
        officer.fill("#confirm", OFFICER_PASSWORD)
        officer.click("main button[type=submit]")
        officer.wait_for_url(base + "/console")
        officer.select_option("#desk", label="Quầy 1 – Hỗ trợ định danh")
        officer.click("text=Chọn quầy")
        officer.locator("#next-list li b", has_text="Y001").wait_for(timeout=3000)
        officer.click("#btn-next")
        officer.locator("#cur-number", has_text="Y001").wait_for()
        officer.evaluate("document.fonts.ready")
        screenshot(officer, "golive-console-called-1366x768")

        admin.goto(base + "/admin/audit")
        log = admin.locator("main").inner_text()
        for seen in ("tuan.pham", "Ki-ốt sảnh chính", "bhyt"):
            assert seen in log
        screenshot(admin, "golive-audit-1366x768")
        assert outside == []
