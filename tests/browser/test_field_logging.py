"""Field logging at phone size (390×844): a tally of 12 in a few taps, the place remembered."""
import pytest
from sqlalchemy import create_engine, text

from tests.live import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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
    page.tap("label:has-text('Lưu động')")
    page.fill("#place", "Thôn Đông")
    assert page.locator("[data-counter=vneid_activated]").is_visible()
    page.fill("#vneid_activated", "1")
    screenshot(page, "field-filled-390x844")
    page.tap("#save-field")
    page.locator(".flash-success", has_text="Đã ghi nhận 12 lượt hỗ trợ.").wait_for()
    assert page.input_value("#place") == "Thôn Đông"
    screenshot(page, "field-saved-390x844")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    engine = create_engine(live_sqlite)
    with engine.connect() as conn:
        got = conn.execute(text("SELECT count(*), count(DISTINCT visit_key), min(channel), min(place) "
                                "FROM assist WHERE channel = 'mobile'")).one()
    engine.dispose()
    assert tuple(got) == (12, 12, "mobile", "Thôn Đông")
    context.close()
