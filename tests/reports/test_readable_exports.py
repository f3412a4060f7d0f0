"""Exports people can read: the labelled CSV, the workbook's log sheet, decimals in the reader's
language, and bad report arguments answered in Vietnamese (a page for a browser)."""
import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports import exports
from kiosk.reports.exports import HEADER, LABELLED_HEADER
from kiosk.reports.numbers import en_number, vn_number

from .conftest import add_assist

MAY = {"site": "DEMO", "from": "2026-05-01", "to": "2026-05-31"}
MAY_FORM = {"kind": "month", "year": 2026, "month": 5, "basis": "calendar"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def read_csv(body: bytes) -> list[dict]:
    """Read a CSV download as Excel would: BOM first, then UTF-8 rows under the header."""
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def by_visit(rows: list[dict], key: str, visit: str) -> dict:
    return next(r for r in rows if r[key] == visit)


@pytest.fixture
def three_level_rating(dataset):
    """A May assist rated "Hài lòng" on the 3-level scale (level 3 of 3)."""
    with dataset.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        add_assist(site, (2026, 5, 20, 10, 0), "v11", "payment", satisfaction=3,
                   satisfaction_scale=3, payments_made=1)
        db.session.commit()
    return dataset


def test_labelled_csv_has_vietnamese_headers_and_words(three_level_rating, login):
    response = login("vhxh").get("/reports/assists.csv", query_string={**MAY, "labels": "vi"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_csv(response.get_data())
    assert tuple(rows[0]) == LABELLED_HEADER and len(LABELLED_HEADER) == len(HEADER)
    assert len(rows) == 7
    a7 = by_visit(rows, "Mã lần đến", "v7")
    assert a7["Nội dung hỗ trợ"] == "Nộp hồ sơ dịch vụ công trực tuyến"
    assert (a7["Kết quả"], a7["Hình thức hỗ trợ"], a7["Vai trò người hỗ trợ"]) == (
        "Hoàn thành", "Tại nhà", "Cán bộ trực")
    assert (a7["Đối tượng"], a7["Độ tuổi"], a7["Giới tính"]) == (
        "Lao động phổ thông / người lao động", "18–39", "Nam")
    assert a7["Nhập bù"] == "Có" and a7["Hồ sơ dịch vụ công đã nộp"] == "2"
    assert a7["Ghi chú"] == "'=HYPERLINK(\"x\")" and a7["Địa điểm"] == "'-cmd"  # still inert
    a3 = next(r for r in rows if r["Mã lần đến"] == "v3" and r["Kết quả"] == "Không thành công")
    assert a3["Lý do chưa thành công"] == "Không nhận được OTP"
    assert a3["Đối tượng"] == "Người cao tuổi; Nông dân"
    assert a3["Nền tảng học tập được giới thiệu"] == "Bình dân học vụ số"
    assert a3["Mức độ hài lòng"] == "Bình thường"  # level 3 of the 5-level scale
    a1 = by_visit(rows, "Mã lần đến", "v1")
    assert (a1["Ngày"], a1["Kết thúc lúc"]) == ("2026-05-31", "2026-05-31 23:30:00")
    assert a1["Mức độ hài lòng"] == "Rất hài lòng" and a1["Nhập bù"] == "Không"
    # Level 3 of the 3-level scale is the top word the citizen tapped, not "Bình thường".
    a11 = by_visit(rows, "Mã lần đến", "v11")
    assert (a11["Mức độ hài lòng"], a11["Thang đánh giá (số mức)"]) == ("Hài lòng", "3")
    assert by_visit(rows, "Mã lần đến", "v10")["Mức độ hài lòng"] == "Rất không hài lòng"


def test_coded_csv_stays_the_default_with_the_scale_last(three_level_rating, login):
    rows = read_csv(login("vhxh").get("/reports/assists.csv", query_string=MAY).get_data())
    assert tuple(rows[0]) == HEADER and HEADER[-1] == "satisfaction_scale"
    a11 = by_visit(rows, "visit_key", "v11")
    assert (a11["category"], a11["satisfaction"], a11["satisfaction_scale"]) == ("payment", "3", "3")
    assert by_visit(rows, "visit_key", "v9")["satisfaction_scale"] == ""


@pytest.mark.parametrize("batch", [2, 5000])
def test_labelled_csv_streams_batch_by_batch(three_level_rating, login, monkeypatch, batch):
    monkeypatch.setattr(exports, "BATCH", batch)
    response = login("vhxh").get("/reports/assists.csv", query_string={**MAY, "labels": "vi"})
    assert response.is_streamed
    body = response.get_data()
    assert body.count(b"\r\n") == 1 + 7 and len(read_csv(body)) == 7


def test_bad_labels_is_a_400_naming_the_field(dataset, login):
    response = login("vhxh").get("/reports/assists.csv", query_string={**MAY, "labels": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("bad_labels", "labels")
    assert "Kiểu nhãn không hợp lệ" in error["message"]


def test_xlsx_log_sheet_is_readable(three_level_rating, login):
    with login("vhxh").get("/reports/assists.xlsx", query_string=MAY) as response:
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["Lượt hỗ trợ"]
    assert [c.value for c in sheet[1]] == list(LABELLED_HEADER)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:AC{1 + 7}"
    widths = {letter: sheet.column_dimensions[letter].width for letter in ("A", "C", "D", "L", "AB")}
    assert widths["L"] >= 40 and widths["AB"] >= 40 and widths["D"] >= 16 and widths["C"] >= 10
    rows = [dict(zip(LABELLED_HEADER, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    a1 = next(r for r in rows if r["Mã lần đến"] == "v1")
    assert isinstance(a1["Ngày"], datetime) and a1["Ngày"] == datetime(2026, 5, 31)
    assert a1["Kết thúc lúc"] == datetime(2026, 5, 31, 23, 30)  # local wall-clock time
    assert a1["Nội dung hỗ trợ"].startswith("VNeID: đăng ký")
    assert a1["Mức độ hài lòng"] == "Rất hài lòng"
    day_cell = next(row for row in sheet.iter_rows(min_row=2) if row[HEADER.index("visit_key")]
                    .value == "v1")[HEADER.index("local_day")]
    assert day_cell.is_date and day_cell.number_format == "dd/mm/yyyy"
    a11 = next(r for r in rows if r["Mã lần đến"] == "v11")
    assert a11["Mức độ hài lòng"] == "Hài lòng" and a11["Nhập bù"] == "Không"
    summary = book["Tổng hợp"]
    assert summary.freeze_panes == "A2"
    values = {row[0].value: row[1] for row in summary.iter_rows(min_row=2)}
    assert values["Từ ngày"].value == datetime(2026, 5, 1) and values["Từ ngày"].is_date
    assert values["Giờ hỗ trợ của đoàn viên"].number_format == "#,##0.0"
    shares = book["Theo kết quả"]
    assert all(row[3].number_format == "#,##0.0" for row in shares.iter_rows(min_row=2))


def test_one_formatter_for_both_languages():
    assert (vn_number(1500), vn_number(70.56), vn_number(50.0, fixed=True)) == ("1.500", "70,6",
                                                                                "50,0")
    assert (en_number(1500), en_number(70.56), en_number(50.0, fixed=True)) == ("1,500", "70.6",
                                                                                "50.0")


@pytest.mark.parametrize("lang,hours,wait,no_show,share", [
    ("vi", "0,7", "20,0", "25,0 %", "83,3"), ("en", "0.7", "20.0", "25.0 %", "83.3")])
def test_screen_decimals_follow_the_language(dataset, login, lang, hours, wait, no_show, share):
    client = login("vhxh")
    client.set_cookie("lang", lang)
    html = client.get("/reports", query_string=MAY_FORM).get_data(as_text=True)

    def cell(element_id):
        return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html).group(1).strip()

    assert (cell("kpi-volunteer-hours"), cell("wait-p90"), cell("no-show-rate")) == (
        hours, wait, no_show)
    outcome = html[html.index('id="table-outcome"'):]
    assert f'<tr data-code="done"><td>{"Hoàn thành" if lang == "vi" else "Completed"}</td>' \
           f'<td class="num">5</td><td class="num">{share}</td>' in outcome
    roles = html[html.index('id="table-roles"'):]
    assert f'<td class="num">{hours}</td>' in roles[:roles.index("</table>")]


@pytest.mark.parametrize("path", ["/reports/assists.csv", "/reports/assists.xlsx",
                                  "/reports/draft.docx"])
@pytest.mark.parametrize("args,words", [
    ({"site": "DEMO", "from": "2026-05-32", "to": "2026-06-01"}, "Từ ngày không hợp lệ"),
    ({"site": "DEMO", "from": "2026-06-02", "to": "2026-06-01"},
     "Ngày kết thúc phải sau ngày bắt đầu."),
    ({"site": "NOPE", "from": "2026-05-01", "to": "2026-06-01"}, "Không có đơn vị nào mang mã này."),
    ({"site": "DEMO", "from": "2026-05-01", "to": "2026-06-01", "basis": "x"},
     "Cách tính kỳ không hợp lệ"),
])
def test_bad_export_link_in_a_browser_is_a_vietnamese_page(dataset, login, path, args, words):
    response = login("vhxh").get(path, query_string=args, headers=BROWSER)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert words in html and "<h1>" in html and '"error"' not in html


def test_the_api_keeps_json_errors_in_vietnamese_with_the_field(dataset, login):
    client = login("vhxh")
    response = client.get("/api/v1/reports/summary", headers=BROWSER,
                          query_string={"site": "DEMO", "from": "2026-13-01", "to": "2026-06-01"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("bad_date", "from")
    assert error["message"].startswith("Từ ngày không hợp lệ")
    other = client.get("/api/v1/reports/summary", query_string={**MAY, "site": "OTHER"})
    assert other.status_code == 403
    assert other.get_json()["error"]["message"] == "Bạn chỉ được xem báo cáo của đơn vị mình."
