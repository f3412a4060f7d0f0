"""The summary API carries every indicator of the report screen, with the screen's figures."""
import re

from kiosk.reports.api import summary_body
from kiosk.reports.periods import build_period
from kiosk.reports.queries import Scope, full_report

MAY_FORM = {"kind": "month", "year": 2026, "month": 5, "basis": "calendar"}
MAY = {"site": "DEMO", "from": "2026-05-01", "to": "2026-05-31"}
KEYS = {"site", "from", "to", "assists", "citizens", "ytd", "by_category", "by_outcome",
        "by_channel", "by_target_group", "by_age_band", "by_gender", "by_failure_reason",
        "by_platform", "counters", "active_helpers", "volunteer_hours", "platform_referrals",
        "quality", "satisfaction"}


def cell(html: str, element_id: str) -> str:
    """Return the text of the element with this id."""
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html).group(1).strip()


def vi_number(text: str) -> float:
    """Read a figure the screen wrote the Vietnamese way (1.500; 70,6)."""
    return float(text.replace(".", "").replace(",", ".").rstrip(" %"))


def table_rows(html: str, element_id: str) -> list[list[str]]:
    """Return the cells' text of each body row of a table."""
    body = html[html.index(f'id="{element_id}"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>",
                                                                          body)]


def test_the_api_has_every_indicator_with_the_screens_figures(dataset, login):
    client = login("vhxh")
    html = client.get("/reports", query_string=MAY_FORM).get_data(as_text=True)
    api = client.get("/api/v1/reports/summary", query_string=MAY).get_json()
    assert set(api) == KEYS
    assert api["counters"] == {"vneid_activated": 1, "dossiers_submitted": 2, "payments_made": 0,
                               "apps_installed": 0}
    for name, total in api["counters"].items():
        assert vi_number(cell(html, f"counter-{name}")) == total, name
    assert api["ytd"] == {"assists": 7, "citizens": 6}
    assert api["active_helpers"] == int(cell(html, "kpi-helpers")) == 2
    hours = api["volunteer_hours"]
    assert hours["total"] == vi_number(cell(html, "kpi-volunteer-hours")) == 0.7
    assert [[r["assists"], r["helpers"], r["hours"]] for r in hours["by_role"]] == [
        [int(n), int(people), vi_number(h)] for _role, n, people, h in table_rows(html, "table-roles")]
    assert [[r["assists"], r["hours"]] for r in hours["by_helper"]] == [
        [int(n), vi_number(h)] for _name, _role, n, h in table_rows(html, "table-helpers")]
    assert api["platform_referrals"] == [{"code": "binhdanhocvuso", "name": "Bình dân học vụ số",
                                          "referrals": 1}]
    assert 'data-code="binhdanhocvuso"' in html
    quality = api["quality"]
    for key, element in (("wait_mean", "wait-mean"), ("wait_p90", "wait-p90"),
                         ("service_mean", "service-mean"), ("service_p90", "service-p90"),
                         ("no_show_rate", "no-show-rate")):
        assert quality[key] == vi_number(cell(html, element)), key
    assert (quality["wait_mean"], quality["wait_p90"], quality["no_show_rate"]) == (11.7, 20.0, 25.0)
    assert (quality["tickets"], quality["no_shows"]) == (4, 1)
    # Friday 1 May, 00:xx (A3 and A5): the busiest cell, as the screen says.
    assert quality["busiest"] == {"weekday": 4, "hour": 0, "assists": 2}
    assert "Đông nhất: Thứ Sáu, 0 giờ." in html
    assert {"weekday": 6, "hour": 23, "assists": 1} in quality["heatmap"]
    assert sum(c["assists"] for c in quality["heatmap"]) == api["assists"]


def test_satisfaction_carries_each_scales_words(dataset, login):
    api = login("vhxh").get("/api/v1/reports/summary", query_string=MAY).get_json()
    assert api["satisfaction"] == {
        "rated": 4, "satisfied": 2, "satisfied_share": 50.0,
        "scales": [{"scale": 5, "rated": 4, "satisfied": 2, "satisfied_share": 50.0,
                    "levels": {"5": 1, "4": 1, "3": 1, "2": 0, "1": 1},
                    "labels": {"5": "Rất hài lòng", "4": "Hài lòng", "3": "Bình thường",
                               "2": "Không hài lòng", "1": "Rất không hài lòng"}}]}


def test_one_function_builds_the_body_from_full_report(dataset, login):
    client = login("thanhpho")
    api = client.get("/api/v1/reports/summary", query_string={**MAY, "site": ""}).get_json()
    with dataset.app_context():
        scope = Scope(build_period("month", 2026, 5))
        report = full_report(scope, with_sites=True)
        body = summary_body(scope, None, report)
    assert set(api) == KEYS | {"sites"}
    assert api["sites"] == report["sites"] and api["assists"] == report["assists"] == 7
    assert api["counters"] == body["counters"] == report["counters"]
    assert api["quality"]["wait_p90"] == report["quality"]["wait_p90"]
    assert api["volunteer_hours"]["by_role"] == report["by_helper_role"]
