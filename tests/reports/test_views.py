"""The report screen and the API: same numbers as the exports, roles, errors beside fields."""
import csv
import io
import re
from collections import Counter

import pytest

from tests.reports.conftest import EXPECTED_MAY

MAY_FORM = {"kind": "month", "year": 2026, "month": 5, "basis": "calendar"}
MAY = {"site": "DEMO", "from": "2026-05-01", "to": "2026-05-31"}
PATHS = ["/reports", "/reports/print", "/reports/assists.csv", "/reports/assists.xlsx",
         "/reports/draft.docx", "/api/v1/reports/summary"]


def cell(html: str, element_id: str) -> str:
    """Return the text of the element with this id."""
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html).group(1).strip()


def table_counts(html: str, key: str) -> dict:
    """Return {code: count} of a breakdown table on the screen."""
    body = html[html.index(f'id="table-{key}"'):]
    body = body[:body.index("</table>")]
    return {code: int(n) for code, n in re.findall(
        r'<tr data-code="([^"]*)"><td>[^<]*</td><td class="num">(\d+)</td>', body)}


def test_screen_api_and_csv_agree(dataset, login):
    client = login("vhxh")
    html = client.get("/reports", query_string=MAY_FORM).get_data(as_text=True)
    api = client.get("/api/v1/reports/summary", query_string=MAY).get_json()
    body = client.get("/reports/assists.csv", query_string=MAY).get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    for key, value in EXPECTED_MAY.items():
        assert api[key] == value, key
    assert int(cell(html, "kpi-assists")) == api["assists"] == len(rows) == 6
    assert int(cell(html, "kpi-citizens")) == api["citizens"] == len({r["visit_key"] for r in rows})
    assert table_counts(html, "category") == api["by_category"] == Counter(
        r["category"] for r in rows)
    assert table_counts(html, "outcome") == api["by_outcome"] == Counter(r["outcome"] for r in rows)
    assert table_counts(html, "channel") == api["by_channel"] == Counter(r["channel"] for r in rows)
    groups = Counter(g for r in rows for g in r["target_groups"].split(";") if g)
    assert table_counts(html, "target_group") == api["by_target_group"] == groups
    assert (int(cell(html, "kpi-ytd-assists")), int(cell(html, "kpi-ytd-citizens"))) == (7, 6)
    assert cell(html, "wait-p90") == "20,0" and cell(html, "no-show-rate") == "25,0 %"
    assert cell(html, "satisfied-share") == "50,0 %"
    assert "<svg" in html and "Theo nội dung hỗ trợ" in html
    assert 'id="table-sites"' not in html  # one site: no per-site table


def test_cutoff_on_the_screen(dataset, login):
    html = login("vhxh").get("/reports", query_string={**MAY_FORM, "basis": "cutoff"}).get_data(
        as_text=True)
    assert "15/04/2026 – 14/05/2026" in html
    assert cell(html, "kpi-assists") == "5"


def test_city_sees_all_sites_and_the_per_site_table(dataset, login):
    client = login("thanhpho")
    html = client.get("/reports", query_string=MAY_FORM).get_data(as_text=True)
    assert cell(html, "kpi-assists") == "7" and 'id="table-sites"' in html
    assert "Phường Lê Chân" in html
    api = client.get("/api/v1/reports/summary", query_string={**MAY, "site": ""}).get_json()
    assert (api["site"], api["assists"]) == (None, 7)
    other = client.get("/api/v1/reports/summary", query_string={**MAY, "site": "OTHER"})
    assert other.get_json()["assists"] == 1
    rows = client.get("/reports/assists.csv", query_string={**MAY, "site": ""}).get_data()
    assert rows.decode("utf-8-sig").count("\r\n") == 1 + 7


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("user", ["doanvien", "canbo"])
def test_staff_get_403_on_every_report_and_export(dataset, login, path, user):
    response = login(user).get(path, query_string={**MAY, **MAY_FORM})
    assert response.status_code == 403


@pytest.mark.parametrize("path", PATHS[2:])
def test_reporter_cannot_see_another_site(dataset, login, path):
    response = login("vhxh").get(path, query_string={**MAY, "site": "OTHER"})
    assert response.status_code == 403


def test_reporter_screen_ignores_other_sites(dataset, login):
    client = login("vhxh")
    html = client.get("/reports", query_string={**MAY_FORM, "site": "OTHER"}).get_data(
        as_text=True)
    assert "không được xem báo cáo của đơn vị này" in html
    assert 'id="kpi-assists"' not in html
    assert "Phường Lê Chân" not in client.get("/reports", query_string=MAY_FORM).get_data(
        as_text=True)


def test_admin_sees_own_site_and_sets_the_default_basis(dataset, login):
    client = login("admin")
    assert cell(client.get("/reports", query_string=MAY_FORM).get_data(as_text=True),
                "kpi-assists") == "6"
    assert client.post("/reports/settings", data={"basis": "cutoff"}).status_code == 302
    html = client.get("/reports", query_string={"kind": "month", "year": 2026, "month": 5}).get_data(
        as_text=True)
    assert "15/04/2026 – 14/05/2026" in html
    assert login("vhxh").post("/reports/settings", data={"basis": "calendar"}).status_code == 403


def test_anonymous_is_sent_to_sign_in_or_401(dataset, client):
    assert client.get("/reports").status_code == 302
    assert client.get("/api/v1/reports/summary", query_string=MAY).status_code == 401


def test_bearer_token_works_for_api_and_csv(dataset, runner):
    raw = runner.invoke(args=["create-token", "vhxh"]).output.strip().splitlines()[-1]
    client = dataset.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/reports/summary", query_string=MAY,
                      headers=headers).get_json()["assists"] == 6
    assert client.get("/reports/assists.csv", query_string=MAY, headers=headers).status_code == 200


@pytest.mark.parametrize("args,field,message", [
    ({"kind": "custom", "year": 2026, "first": "2026-05-10", "last": "2026-05-01"}, "last",
     "Ngày kết thúc phải sau ngày bắt đầu."),
    ({"kind": "custom", "year": 2026, "first": "2026-02-30", "last": "2026-05-01"}, "first",
     "Ngày không hợp lệ."),
    ({"kind": "month", "year": "abc", "month": 5}, "year", "Năm phải từ 2000 đến 2100."),
    ({"kind": "month", "year": 1990, "month": 5}, "year", "Năm phải từ 2000 đến 2100."),
    ({"kind": "custom", "year": 2026, "last": "2026-05-01"}, "first", "Vui lòng chọn ngày bắt đầu."),
])
def test_form_errors_sit_next_to_their_field(dataset, login, args, field, message):
    response = login("vhxh").get("/reports", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error"[^>]*>{re.escape(message)}<', html), html[-3000:]


def test_custom_range_and_year_to_date_on_screen(dataset, login):
    client = login("vhxh")
    html = client.get("/reports", query_string={"kind": "custom", "year": 2026,
                                                "first": "2026-05-31", "last": "2026-06-01"})
    assert cell(html.get_data(as_text=True), "kpi-assists") == "2"
    html = client.get("/reports", query_string={"kind": "ytd", "year": 2026}).get_data(as_text=True)
    assert "01/01/2026" in html


def test_chart_labels_are_cut_to_fit_beside_the_bars(app):
    from kiosk.reports.tables import Table

    table = Table("target_group", "Theo đối tượng",
                  [("ethnic", "Đồng bào dân tộc thiểu số", 72, 10.0), ("farmer", "Nông dân", 75, 11.0)])
    with app.test_request_context():
        svg = app.jinja_env.get_template("reports/_charts.html").module.bar_chart(table)
    labels = re.findall(r'class="chart-label">([^<]*)<', str(svg))
    assert labels == ["Đồng bào dân tộc thi…", "Nông dân"]
