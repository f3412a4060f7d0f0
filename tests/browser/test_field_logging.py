"""Field logging at phone size (390×844): a tally of 12 in a few taps with its result counter and
duration, the place remembered; /assists/mine lists the tally as one entry and fits the phone."""

import pytest
from sqlalchemy import create_engine, text

from tests.live import in_view, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
def query(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def test_tally_from_the_phone(live_server, live_sqlite, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "canbo", next_path="/field")
    page.wait_for_url(live_server + "/field")
    page.evaluate("document.fonts.ready")
    screenshot(page, "field-390x844")
    page.tap("button[data-step='10']")
    page.tap("button[data-step='1']")
    assert page.input_value("#count") == "12"
    page.tap("label:has-text('VNeID: đăng ký')")
    # The counter of a completed VNeID activation shows beside the outcome, pre-filled with 1.
    counter = "[data-counter=vneid_activated]"
    assert page.locator(counter).is_visible()
    assert page.input_value("#vneid_activated") == "1"
    assert not page.locator("[data-counter=payments_made]").is_visible()
    page.locator("label:has-text('Hoàn thành')").scroll_into_view_if_needed()
    assert in_view(page, "label:has-text('Hoàn thành')", 844) and in_view(page, counter, 844)
    plus = page.locator(f"{counter} button[data-counter-step='1']")
    box = plus.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # big enough to tap
    screenshot(page, "field-counter-390x844")
    page.tap("label:has-text('Một phần – hẹn lại')")
    assert page.input_value("#vneid_activated") == "0"  # partial: no result by default
    page.tap("label:has-text('Hoàn thành')")
    assert page.input_value("#vneid_activated") == "1"
    plus.tap()
    assert page.input_value("#vneid_activated") == "2"
    page.tap("label:has-text('Lưu động')")
    page.tap("label:has-text('15 phút')")
    assert not page.locator("#duration_other").is_visible()
    page.fill("#place", "Thôn Đông")
    page.tap("summary:has-text('Giới thiệu học tập số')")
    page.tap("label:has-text('Bình dân học vụ số')")
    screenshot(page, "field-filled-390x844")
    page.tap("#save-field")
    page.locator(".flash-success", has_text="Đã ghi nhận 12 lượt hỗ trợ.").wait_for()
    assert page.input_value("#place") == "Thôn Đông"
    screenshot(page, "field-saved-390x844")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    got = query(live_sqlite, "SELECT count(*), count(DISTINCT visit_key), count(DISTINCT tally_id), "
                             "min(channel), min(place), min(vneid_activated), max(vneid_activated), "
                             "min(service_seconds), max(service_seconds), min(platform_code) "
                             "FROM assist WHERE channel = 'mobile' AND deleted_at IS NULL")
    assert tuple(got[0]) == (12, 12, 1, "mobile", "Thôn Đông", 2, 2, 900, 900, "binhdanhocvuso")

    # Another duration: "khác" shows a number box.
    page.tap("label[for=duration-5]")
    assert page.locator("#duration_other").is_visible()

    # /assists/mine at phone size: the tally is one entry ×12; corrected and deleted as one.
    page.goto(live_server + "/assists/mine")
    page.evaluate("document.fonts.ready")
    rows = page.locator(".mine-table tbody tr")
    assert rows.count() == 1 and "×12" in rows.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "assists-mine-390x844")
    rows.first.locator("text=Sửa").tap()
    page.locator(".tally-note", has_text="×12").wait_for()
    page.tap("label:has-text('Một phần – hẹn lại')")
    screenshot(page, "assist-edit-tally-390x844")
    page.tap("#save-edit")
    page.locator(".flash-success", has_text="Đã lưu chỉnh sửa.").wait_for()
    fixed = query(live_sqlite, "SELECT count(*), min(outcome), max(outcome) FROM assist "
                               "WHERE channel = 'mobile' AND deleted_at IS NULL")
    assert tuple(fixed[0]) == (12, "partial", "partial")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".mine-table tbody tr").first.locator("button:has-text('Xóa')").tap()
    page.locator(".flash-success", has_text="Đã xóa 12 lượt").wait_for()
    gone = query(live_sqlite, "SELECT count(*) FROM assist WHERE channel = 'mobile' AND deleted_at IS NULL")
    assert gone[0][0] == 0
    context.close()
