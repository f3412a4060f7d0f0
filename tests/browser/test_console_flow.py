"""The console in Chromium against gunicorn: call, finish and log in three taps; walk-in; correction."""
import json
import time
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from tests.live import external_requests, flask_cli, in_view, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
def issue(base: str, kiosk: str, service: str) -> dict:
    request = urllib.request.Request(f"{base}/api/v1/tickets", method="POST",
                                     data=json.dumps({"service": service}).encode(),
                                     headers={"Authorization": f"Bearer {kiosk}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def rows(url: str, sql: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def test_volunteer_calls_finishes_and_logs_in_three_taps(live_server, live_sqlite, chromium):
    kiosk = flask_cli(live_sqlite, "create-kiosk", "--site", "DEMO", "--name", "K").strip().splitlines()[-1]
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    outside = external_requests(page, live_server)
    sign_in(page, live_server, "doanvien")
    page.wait_for_url(live_server + "/console")
    page.select_option("#desk", label="Quầy 1")
    page.click("text=Chọn quầy")
    ticket = issue(live_server, kiosk, "vneid")
    page.locator("#next-list li b", has_text=ticket["number"]).wait_for(timeout=3000)  # ≤ 2 s poll
    page.evaluate("document.fonts.ready")
    screenshot(page, "console-waiting-1366x768")

    started = time.monotonic()
    page.click("#btn-next")                                          # tap 1
    page.locator("#cur-number", has_text=ticket["number"]).wait_for()
    screenshot(page, "console-called-1366x768")
    page.click("#btn-finish")                                        # tap 2
    page.wait_for_url(f"**/console?ticket={ticket['id']}*")
    assert page.is_checked("input[name=category][value=vneid]")
    assert page.is_checked("input[name=outcome][value=done]")
    assert page.is_checked("input[name=channel][value=desk]")
    assert page.locator(".note .help").inner_text() == "Lưu ý: không ghi số CCCD, mật khẩu, OTP."
    # The VNeID counter is pre-filled with 1 beside the outcome, seen without scrolling.
    assert page.input_value("#vneid_activated") == "1"
    screenshot(page, "console-assist-form-1366x768")
    assert in_view(page, "[data-counter=vneid_activated]", 768) and in_view(page, "label[for=outcome-0]", 768)
    assert page.locator("[data-counter=vneid_activated] button").count() == 2  # − and +
    assert page.locator("input[name=duration]").count() == 0  # desk time comes from the ticket
    screenshot(page, "console-assist-form-1366x768")
    page.click("#save-assist")                                       # tap 3
    page.locator(".flash-success").wait_for()
    assert time.monotonic() - started < 10
    assert ticket["number"] in page.locator(".flash-success").inner_text()
    saved = rows(live_sqlite, f"SELECT category, outcome, channel, visit_key, vneid_activated FROM assist WHERE ticket_id = {ticket['id']}")
    assert saved == [("vneid", "done", "desk", f"t:{ticket['id']}", 1)]

    # A walk-in from the same form, with quick chips; then keyboard shortcuts for the next ticket.
    page.click("text=Khách vãng lai") if page.locator("a:has-text('Khách vãng lai')").count() else None
    page.click("label:has-text('Đăng nhập, khôi phục tài khoản, OTP')")
    page.click("label:has-text('Người cao tuổi')")
    page.click("label:has-text('70–79')")
    page.click("label:has-text('15 phút')")                          # a walk-in's time: one tap
    page.click("summary:has-text('Giới thiệu học tập số')")
    page.click("label:has-text('Bình dân học vụ số')")
    screenshot(page, "console-walk-in-1366x768")
    page.click("#save-assist")
    page.locator(".flash-success").wait_for()
    walk = rows(live_sqlite, "SELECT a.category, a.age_band, t.code, a.service_seconds, a.platform_code FROM assist a JOIN assist_target_group t ON t.assist_id = a.id WHERE a.ticket_id IS NULL")
    assert walk == [("account", "70-79", "elderly", 900, "binhdanhocvuso")]
    # The referral's QR code for the citizen, printed alone.
    panel = page.locator("#referral-qr")
    assert panel.is_visible() and "https://binhdanhocvuso.gov.vn" in panel.inner_text()
    assert panel.locator("svg").count() == 1
    screenshot(page, "console-referral-qr-1366x768")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("#print-referral")
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert page.locator("#btn-next").evaluate("el => getComputedStyle(el).visibility") == "hidden"
    assert page.locator(".referral-qr-name").evaluate("el => getComputedStyle(el).visibility") == "visible"
    page.evaluate("document.body.classList.remove('print-referral')")
    page.emulate_media(media="screen")
    second = issue(live_server, kiosk, "payment")
    page.locator("#next-list li b", has_text=second["number"]).wait_for(timeout=3000)
    page.keyboard.press("F2")
    page.locator("#cur-number", has_text=second["number"]).wait_for()
    page.keyboard.press("f")
    page.wait_for_url(f"**/console?ticket={second['id']}*")
    page.click("#same-as-last")  # the walk-in's answers, for this ticket
    assert page.is_checked("input[name=category][value=account]")
    page.click("label:has-text('Thanh toán không dùng tiền mặt')")
    page.click("label:has-text('Một phần – hẹn lại')")
    page.click("label:has-text('Hoàn thành')")
    page.click("#save-assist")
    page.locator(".flash-success").wait_for()

    # The helper corrects an entry of the day.
    page.click("text=Lượt của tôi")
    assert page.locator(".mine-table tbody tr").count() == 3
    screenshot(page, "assists-mine-1366x768")
    page.locator(".mine-table tbody tr", has_text=ticket["number"]).locator("text=Sửa").click()
    page.click("label:has-text('Một phần – hẹn lại')")
    page.click("#save-edit")
    page.locator(".flash-success", has_text="Đã lưu chỉnh sửa.").wait_for()
    fixed = rows(live_sqlite, f"SELECT outcome, edited_at IS NOT NULL FROM assist WHERE ticket_id = {ticket['id']}")
    assert fixed == [("partial", 1)]
    assert outside == []
    page.close()


def test_idle_console_locks_and_opens_again_with_the_password(live_server, chromium):
    """After the site's idle time (10 min) the console locks itself; the server keeps it locked
    across a reload; a wrong password is refused in Vietnamese, the right one opens it."""
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.clock.install()
    sign_in(page, live_server, "doanvien")
    page.wait_for_url(live_server + "/console")
    page.select_option("#desk", label="Quầy 1")
    page.click("text=Chọn quầy")
    lock = page.locator("#lock-screen")
    expect(lock).to_be_hidden()
    page.clock.fast_forward("09:00")
    expect(lock).to_be_hidden()  # not yet: ten minutes by default
    page.clock.fast_forward("01:30")
    expect(lock).to_be_visible()
    expect(page.locator("#unlock-password")).to_be_focused()
    # Opaque: what the helper was typing about a citizen is not readable behind it.
    assert lock.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(10, 20, 35)"
    page.evaluate("document.fonts.ready")
    screenshot(page, "console-locked-1366x768")
    page.reload()
    expect(lock).to_be_visible()  # the lock is in the server's session, not only on the page
    page.fill("#unlock-password", "sai-mat-khau")
    page.click("text=Mở khóa")
    expect(page.locator("#unlock-error")).to_have_text("Mật khẩu không đúng.")
    expect(lock).to_be_visible()
    page.fill("#unlock-password", "doanvien-demo")
    with page.expect_navigation():  # it was loaded locked: opening it loads the console afresh
        page.click("text=Mở khóa")
    expect(lock).to_be_hidden()
    page.locator("#next-list li").first.wait_for()  # the desk's state has come (a tap before is ignored)
    page.click("#btn-next")  # the console answers again
    expect(page.locator("#console-msg")).to_have_text("Không còn ai chờ.")
