"""CSV, Excel and .docx exports read back with csv, openpyxl and python-docx; each is audited."""
import csv
import io
import json
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports import exports
from kiosk.reports.exports import (HEADER, LABELLED_HEADER, assist_rows, neutralise,
                                   neutralise_row)
from kiosk.reports.periods import Period
from kiosk.reports.queries import Scope

from .conftest import add_assist

MAY = {"site": "DEMO", "from": "2026-05-01", "to": "2026-05-31"}


def audit_actions(app):
    with app.app_context():
        return [(e.action, e.target, json.loads(e.detail)) for e in
                db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def read_csv(response):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_columns_rows_and_inert_formula(dataset, login):
    client = login("vhxh")
    response = client.get("/reports/assists.csv", query_string=MAY)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert tuple(rows[0].keys()) == HEADER
    assert len(rows) == 6
    assert len({r["visit_key"] for r in rows}) == 5
    a7 = next(r for r in rows if r["visit_key"] == "v7")
    assert a7["note"] == "'=HYPERLINK(\"x\")"
    assert a7["place"] == "'-cmd"
    assert a7["backdated"] == "1" and a7["target_groups"] == "worker"
    a1 = next(r for r in rows if r["visit_key"] == "v1")
    # Local time with its offset: 23:30 in Hanoi is 16:30 UTC, and the day is 31 May.
    assert (a1["local_day"], a1["ended_at"]) == ("2026-05-31", "2026-05-31T23:30:00+07:00")
    a3 = next(r for r in rows if r["category"] == "vneid" and r["visit_key"] == "v3")
    assert a3["target_groups"] == "elderly;farmer"
    assert a3["started_at"] == "" and a3["wait_seconds"] == ""
    assert "name" not in HEADER and "phone" not in HEADER
    assert audit_actions(dataset)[-1][:2] == ("report.export", "assists.csv")


def test_neutralise_keeps_real_numbers():
    assert neutralise("-3") == "-3" and neutralise("+4.5") == "+4.5" and neutralise(-3) == -3
    for bad in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("Bình thường") == "Bình thường"


TRICKY = ["a,b", 'say "hi"', "line1\nline2", "cr\rx", "=1+1", "+cmd", "-3", "+4.5", "-", "@x",
          "\tx", "\rx", "x,=y", "x\n=y", "Tiếng Việt có dấu", "%s %d", "", "1,5", '"', "'ok",
          "-1,5", "trailing,", ",leading", "a;b"]


DAY = date(2026, 5, 2)


@pytest.mark.parametrize("batch", [3, 5000])
def test_csv_equals_the_csv_module_on_tricky_cells(demo, login, monkeypatch, batch):
    """The fast path (lines formatted at once) writes exactly what csv.writer writes after
    neutralise_row, with plain and tricky rows mixed in one batch."""
    monkeypatch.setattr(exports, "BATCH", batch)
    with demo.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        for n, value in enumerate(TRICKY):
            add_assist(site, (2026, 5, 2, 8, n), f"t{n}", "vneid", note=value,
                       groups=["worker", "elderly"][: n % 3], wait_seconds=n or None)
            add_assist(site, (2026, 5, 2, 9, n), f"p{n}", "apps")  # a plain row between
            add_assist(site, (2026, 5, 2, 10, n), f"q{n}", "apps", place=value)
        db.session.commit()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(neutralise_row(row) for row in
                         assist_rows(Scope(Period(DAY, DAY), site.id)))
    body = login("vhxh").get("/reports/assists.csv", query_string={
        "site": "DEMO", "from": "2026-05-02", "to": "2026-05-02"}).get_data()
    assert body == ("\ufeff" + buffer.getvalue()).encode("utf-8")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    notes = [row[HEADER.index("note")] for row in rows[1:] if row[HEADER.index("visit_key")][0] == "t"]
    places = [row[HEADER.index("place")] for row in rows[1:] if row[HEADER.index("visit_key")][0] == "q"]
    assert len(rows) == 1 + 3 * len(TRICKY)
    assert notes == places == [neutralise(v) for v in TRICKY]
    # The whole city over a year (PostgreSQL aggregates the target groups once for it).
    with demo.app_context():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(neutralise_row(row) for row in
                         assist_rows(Scope(Period(date(2026, 1, 1), date(2026, 12, 31)), None)))
    body = login("thanhpho").get("/reports/assists.csv", query_string={
        "site": "", "from": "2026-01-01", "to": "2026-12-31"}).get_data()
    assert body == ("\ufeff" + buffer.getvalue()).encode("utf-8")
    assert body.count(b",elderly;worker,") == len(TRICKY) // 3  # both groups, in code order


def test_xlsx_rows_and_breakdown_sheets(dataset, login):
    client = login("vhxh")
    # The workbook is a spooled temporary file: the WSGI server closes it, as `with` does here.
    with client.get("/reports/assists.xlsx", query_string=MAY) as response:
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.get_data()))
    assert {"Tổng hợp", "Lượt hỗ trợ", "Theo nội dung hỗ trợ", "Theo đối tượng",
            "Theo kết quả", "Theo hình thức hỗ trợ", "Theo vai trò"} <= set(book.sheetnames)
    rows = list(book["Lượt hỗ trợ"].iter_rows(values_only=True))
    assert rows[0] == LABELLED_HEADER and len(rows) == 7
    note_cell = next(row for row in book["Lượt hỗ trợ"].iter_rows()
                     if row[HEADER.index("visit_key")].value == "v7")[HEADER.index("note")]
    assert note_cell.value == '=HYPERLINK("x")' and note_cell.data_type == "s"  # text, not a formula
    categories = {r[0]: r[2] for r in book["Theo nội dung hỗ trợ"].iter_rows(min_row=2,
                                                                            values_only=True)}
    assert categories == {"vneid": 2, "account": 1, "apps": 1, "dvc-submit": 1, "safety": 1}
    summary = dict(book["Tổng hợp"].iter_rows(values_only=True))
    assert summary["Lượt hỗ trợ"] == 6 and summary["Người dân được hỗ trợ"] == 5
    assert audit_actions(dataset)[-1][:2] == ("report.export", "assists.xlsx")


def test_docx_draft_holds_the_figures(dataset, login):
    client = login("vhxh")
    response = client.get("/reports/draft.docx", query_string=MAY)
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.get_data()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Bình dân học vụ số" in text
    assert "từ ngày 01/05/2026 đến ngày 31/05/2026" in text
    assert "Tổ công nghệ số cộng đồng" in text
    assert "đã trực tiếp hỗ trợ 6 lượt công dân, tương ứng 5 người dân" in text
    assert "Tính từ ngày 01/01/2026 đến ngày 31/05/2026" in text and "7 lượt công dân (6" in text
    assert "Có 5 lượt hỗ trợ hoàn thành ngay (đạt 83,3%)" in text
    categories = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nội dung")
    assert categories.rows[1].cells[1].text == "2"
    assert audit_actions(dataset)[-1][:2] == ("report.export", "draft.docx")


def test_printable_report_matches_the_draft(dataset, login):
    client = login("vhxh")
    page = client.get("/reports/print", query_string={"kind": "month", "year": 2026, "month": 5})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "đã trực tiếp hỗ trợ 6 lượt công dân, tương ứng 5 người dân" in html
    assert audit_actions(dataset)[-1][:2] == ("report.print", "reports/print")


@pytest.mark.parametrize("path", ["/reports/assists.csv", "/reports/assists.xlsx",
                                  "/reports/draft.docx", "/api/v1/reports/summary"])
@pytest.mark.parametrize("args,code", [
    ({"site": "DEMO", "from": "2026-05-32", "to": "2026-06-01"}, "bad_date"),
    ({"site": "DEMO", "to": "2026-06-01"}, "bad_date"),
    ({"site": "DEMO", "from": "2026-06-02", "to": "2026-06-01"}, "bad_range"),
    ({"site": "NOPE", "from": "2026-05-01", "to": "2026-06-01"}, "unknown_site"),
    ({"site": "DEMO", "from": "2026-05-01", "to": "2026-06-01", "basis": "x"}, "bad_basis"),
])
def test_bad_input_is_a_json_400(dataset, login, path, args, code):
    response = login("vhxh").get(path, query_string=args)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
