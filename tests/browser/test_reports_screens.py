"""The report screen and its printable draft, in Chromium against gunicorn, with screenshots."""
import pytest

from tests.live import SCREENSHOTS, external_requests, flask_cli, gunicorn, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def report_server(live_sqlite):
    """gunicorn on the demo database with two months of generated assists at DEMO."""
    flask_cli(live_sqlite, "seed-bulk", "--site", "DEMO", "--days", "61",
              "--assists-per-day", "30", "--end", "2026-05-31")
    with gunicorn(live_sqlite, workers=2) as base:
        yield base


def test_report_screen_print_and_errors(report_server, chromium):
    base = report_server
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    outside = external_requests(page, base)
    sign_in(page, base, "vhxh")
    page.wait_for_url(base + "/reports")
    page.select_option("#kind", "month")
    page.fill("#year", "2026")
    page.select_option("#month", "5")
    page.click("form.picker button[type=submit]")
    page.wait_for_selector("#kpi-assists")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Be Vietnam Pro\"', 'Lượt hỗ trợ')")
    assert not page.locator("#quarter").is_visible()  # the picker shows the month's fields only
    assists = int(page.locator("#kpi-assists").inner_text())
    assert assists == 31 * 30
    api = page.request.get(base + "/api/v1/reports/summary?site=DEMO&from=2026-05-01&to=2026-05-31")
    summary = api.json()
    assert summary["assists"] == assists
    assert int(page.locator("#kpi-citizens").inner_text()) == summary["citizens"]
    rows = page.locator("#table-category tbody tr")
    shown = {rows.nth(i).get_attribute("data-code"): int(rows.nth(i).locator("td").nth(1).inner_text())
             for i in range(rows.count())}
    assert shown == summary["by_category"]
    assert page.locator("svg.chart").count() >= 5
    screenshot(page, "reports-month-1366x768")
    page.screenshot(path=str(SCREENSHOTS / "reports-month-full.png"), full_page=True)

    with page.expect_download() as download:
        page.click("text=Tải CSV")
    assert download.value.suggested_filename.endswith(".csv")

    page.click("text=Bản in")
    page.wait_for_selector("article.doc")
    assert "đã trực tiếp hỗ trợ" in page.locator("article.doc").inner_text()
    assert f"{assists:,}".replace(",", ".") + " lượt công dân" in page.locator(
        "article.doc").inner_text()
    screenshot(page, "reports-print-1366x768")
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "reports-print-media.png"), full_page=True)
    page.emulate_media(media="screen")

    page.goto(base + "/reports?kind=custom&year=2026&first=2026-05-10&last=2026-05-01")
    assert page.locator("#last-error").inner_text() == "Ngày kết thúc phải sau ngày bắt đầu."
    screenshot(page, "reports-error-1366x768")
    assert outside == []
    page.close()


def test_city_sees_the_per_site_table(report_server, chromium):
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, report_server, "thanhpho")
    page.goto(report_server + "/reports?kind=quarter&year=2026&quarter=2")
    assert page.locator("#table-sites tbody tr").count() >= 1
    assert page.locator("#site").input_value() == ""
    page.locator("#table-sites").scroll_into_view_if_needed()
    screenshot(page, "reports-city-1366x768")
    page.close()
