"""The kiosk's on-screen keyboard, tapped in Chromium against gunicorn at both kiosk sizes."""
import pytest
from sqlalchemy import create_engine, text

from kiosk.touch.forms import PHONE_RE
from tests.browser.kiosk_helpers import (
    LANDSCAPE, PORTRAIT, axe_violations, min_gap_between_targets, paired_kiosk, undersized_targets,
)
from tests.live import ROOT, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = {"portrait": PORTRAIT, "landscape": LANDSCAPE}
# "Nguyễn Văn Ấn" with taps only: letters, the mark row (ê → ễ, a → ă, Â → Ấ) and the space key.
NAME_TAPS = [("key", "n"), ("key", "g"), ("key", "u"), ("key", "y"), ("key", "ê"), ("variant", "ễ"),
             ("key", "n"), ("action", "space"), ("key", "v"), ("key", "a"), ("variant", "ă"),
             ("key", "n"), ("action", "space"), ("key", "â"), ("variant", "Ấ"), ("key", "n")]
NAME = "Nguyễn Văn Ấn"


def _tap(page, kind, value):
    page.tap(f'#osk button[data-{kind}="{value}"]:visible')


def _open_contact_form(chromium, base, size, name, bypass_csp=True):
    context, page = paired_kiosk(chromium, base, SIZES[size], name=name, bypass_csp=bypass_csp)
    page.goto(base + "/kiosk/s/vneid/p/0")
    page.tap("#want-contact-button")
    return context, page


def _variants(page) -> list[str]:
    return page.locator("#osk-variants button").all_inner_texts()


def _keys_too_small(page) -> list:
    """Visible keys under 64 px either way, or with text under 28 px."""
    return page.evaluate("""() => [...document.querySelectorAll('#osk button')]
        .filter(b => b.offsetParent)
        .map(b => ({text: b.innerText, r: b.getBoundingClientRect(), f: parseFloat(getComputedStyle(b).fontSize)}))
        .filter(k => k.r.height < 64 || k.r.width < 64 || k.f < 28)
        .map(k => [k.text, k.r.width, k.r.height, k.f])""")


def _uncovered(page, selector) -> bool:
    """The element is wholly on screen and above the keyboard."""
    box = page.locator(selector).bounding_box()
    keyboard = page.locator("#osk").bounding_box()
    return box["y"] >= 0 and box["y"] + box["height"] <= keyboard["y"]


def _contact_of(database_url, token):
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT contact.name, contact.phone FROM contact JOIN ticket ON ticket.id = contact.ticket_id"
                " WHERE ticket.token = :token"), {"token": token}).all()
    finally:
        engine.dispose()


def _check_screen(page, field):
    assert page.locator("#osk").is_visible()
    assert page.locator(field).get_attribute("inputmode") == "none"
    assert _keys_too_small(page) == []
    assert _uncovered(page, field) and _uncovered(page, "#take-number-contact")
    assert undersized_targets(page) == [] and min_gap_between_targets(page) >= 16
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_name_and_phone_typed_with_taps_only(live_server, live_sqlite, chromium, size):
    context, page = _open_contact_form(chromium, live_server, size, f"Kiosk bàn phím {size}")
    # Asking for a call-back puts the caret in the name field, and the keyboard opens with it.
    assert page.evaluate("document.activeElement.id") == "name"
    assert page.locator("#osk .osk-letters-panel").is_visible()
    assert page.locator("#osk-hint").is_visible()
    for kind, value in NAME_TAPS:
        _tap(page, kind, value)
        if (kind, value) == ("key", "ê"):
            assert _variants(page) == ["ê", "ế", "ề", "ể", "ễ", "ệ", "e"]
        if (kind, value) == ("key", "a"):
            assert _variants(page) == ["a", "á", "à", "ả", "ã", "ạ", "ă", "â"]
        if (kind, value) == ("key", "â"):
            assert _variants(page) == ["Â", "Ấ", "Ầ", "Ẩ", "Ẫ", "Ậ", "A", "Ă"]
            screenshot(page, f"kiosk-keyboard-marks-{size}")
    assert page.input_value("#name") == NAME
    assert _variants(page) == []  # after "n" nothing to mark
    _check_screen(page, "#name")
    screenshot(page, f"kiosk-keyboard-name-{size}")

    page.tap("#phone")
    assert page.locator("#osk .osk-digits-panel").is_visible()
    assert page.locator("#osk .osk-letters-panel").is_hidden()
    assert page.locator("#name").get_attribute("inputmode") is None
    for digit in "091":
        _tap(page, "key", digit)
    _tap(page, "action", "done")  # too short: the keypad says so and stays
    assert "Số điện thoại chưa đúng" in page.locator("#osk-error").inner_text()
    for digit in "2345678":
        _tap(page, "key", digit)
    assert page.locator("#osk-error").is_hidden()
    assert page.locator("#osk-number").inner_text() == "0912 345 678"
    assert page.input_value("#phone") == "0912345678"
    _check_screen(page, "#phone")
    screenshot(page, f"kiosk-keyboard-phone-{size}")
    _tap(page, "action", "done")
    assert page.locator("#osk").is_hidden()
    assert page.locator("#phone").get_attribute("inputmode") is None

    page.tap("#consent")
    assert page.locator("#consent").is_checked()
    page.tap("#take-number-contact")
    page.wait_for_url("**/kiosk/ticket/**")
    assert page.locator("#ticket-number").inner_text().startswith("A")
    screenshot(page, f"kiosk-keyboard-ticket-{size}")
    token = page.url.split("/kiosk/ticket/")[1].split("?")[0]
    assert _contact_of(live_sqlite, token) == [(NAME, "0912345678")]
    context.close()


def test_keypad_takes_digits_only_and_no_more_than_a_number(live_server, chromium):
    context, page = _open_contact_form(chromium, live_server, "portrait", "Kiosk bàn số")
    page.tap("#phone")
    for digit in "0243825123499":
        _tap(page, "key", digit)
    assert page.input_value("#phone") == "02438251234"  # eleven digits, then the keypad stops
    assert page.locator("#osk-number").inner_text() == "024 3825 1234"
    _tap(page, "action", "backspace")
    assert page.input_value("#phone") == "0243825123"
    context.close()


def test_marks_can_be_corrected_and_words_start_with_capitals(live_server, chromium):
    # Under the real Content-Security-Policy: the keyboard needs no inline script.
    context, page = _open_contact_form(chromium, live_server, "portrait", "Kiosk dấu", bypass_csp=False)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.reload()
    page.tap("#want-contact-button")
    for kind, value in [("key", "l"), ("key", "e"), ("variant", "ê"), ("variant", "ệ"),
                        ("variant", "ề"), ("action", "space"), ("key", "đ")]:
        _tap(page, kind, value)
    assert page.input_value("#name") == "Lề Đ"
    assert _variants(page) == ["Đ", "D"]
    _tap(page, "variant", "D")
    _tap(page, "action", "backspace")
    _tap(page, "action", "backspace")
    assert page.input_value("#name") == "Lề"
    assert _variants(page) == ["ê", "ế", "ề", "ể", "ễ", "ệ", "è"]
    assert page.locator('#osk-variants [aria-current="true"]').inner_text() == "ề"
    assert problems == []
    context.close()


def test_a_physical_keyboard_still_types_and_enter_does_not_skip_the_contact(live_server, chromium):
    context, page = _open_contact_form(chromium, live_server, "landscape", "Kiosk bàn phím thật")
    page.keyboard.type("Trần Thị Hoà")
    assert page.input_value("#name") == "Trần Thị Hoà"
    assert _variants(page) == ["a", "á", "à", "ả", "ã", "ạ", "ằ", "ầ"]  # sisters keep the tone
    page.keyboard.press("Enter")  # closes the keyboard; the form is not sent with "Lấy số ngay"
    assert page.locator("#osk").is_hidden() and "/kiosk/s/vneid/p/0" in page.url
    page.tap("#phone")
    page.keyboard.type("0912 345 678")
    assert page.locator("#osk-number").inner_text() == "0912 345 678"
    context.close()


def test_key_taps_count_as_activity_for_the_idle_reset(live_server, chromium):
    context, page = paired_kiosk(chromium, live_server, PORTRAIT, name="Kiosk bàn phím chờ")
    page.clock.install()
    page.goto(live_server + "/kiosk/s/vneid/p/0")
    page.tap("#want-contact-button")
    for _ in range(3):
        page.clock.run_for(50_000)
        _tap(page, "key", "a")
    page.clock.run_for(50_000)
    assert page.locator("#idle-overlay").is_hidden()  # 200 s on the page, never 60 s idle
    page.clock.run_for(11_000)
    assert page.locator("#idle-overlay").is_visible()
    context.close()


def test_the_keypad_checks_numbers_as_the_form_does():
    script = (ROOT / "static" / "js" / "onscreen-keyboard.js").read_text(encoding="utf-8")
    assert f"const PHONE_RE = /{PHONE_RE.pattern}/;" in script
