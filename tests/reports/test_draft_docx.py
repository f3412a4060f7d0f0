"""The .docx draft in the format of Decree 30/2020/NĐ-CP, read back with python-docx."""
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt

from kiosk import reference
from kiosk.reports.draft import CATEGORY_WORDS, locality
from kiosk.reports.numbers import vn_number
from kiosk.timeutil import local_today

MAY = {"site": "DEMO", "from": "2026-05-01", "to": "2026-05-31"}
SECTIONS = (
    "1. Kết quả tổ chức truyền thông, tuyên truyền, triển khai phong trào “Bình dân học vụ số”",
    "2. Kết quả tổ chức các hoạt động do đơn vị chủ động triển khai phong trào “Bình dân học vụ "
    "số” tại địa phương",
    "3. Kết quả triển khai các hoạt động trải nghiệm, hướng dẫn sử dụng nền tảng số, lớp học số",
    "4. Kết quả triển khai các mô hình, phong trào lan tỏa kỹ năng số cộng đồng",
    "5. Kết quả hoạt động của Tổ công nghệ số cộng đồng",
)


@pytest.fixture
def reporter(dataset, login):
    """The VHXH office's client on the dataset of EXPECTED_MAY."""
    return login("vhxh")


def fetch(client, **args) -> Document:
    response = client.get("/reports/draft.docx", query_string={**MAY, **args})
    assert response.status_code == 200
    return Document(io.BytesIO(response.get_data()))


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def signature_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))


@pytest.mark.parametrize("value,text", [(1500, "1.500"), (70.56, "70,6"), (1234567, "1.234.567"),
                                        (12.0, "12"), (0.67, "0,7"), (1500.25, "1.500,2"),
                                        (0, "0")])
def test_numbers_are_written_the_vietnamese_way(value, text):
    assert vn_number(value) == text


@pytest.mark.parametrize("name,body,place", [
    ("Trung tâm Phục vụ hành chính công phường Hồng Bàng (demo)", "UBND PHƯỜNG HỒNG BÀNG",
     "Hồng Bàng"),
    ("Trung tâm Phục vụ hành chính công xã Chí Minh", "UBND XÃ CHÍ MINH", "Chí Minh"),
    ("Phường Lê Chân", "UBND PHƯỜNG LÊ CHÂN", "Lê Chân"),
    ("Điểm hỗ trợ số X1", "UBND [PHƯỜNG/XÃ …]", "[Địa danh]"),
    ("Trung tâm văn hóa xã hội", "UBND [PHƯỜNG/XÃ …]", "[Địa danh]"),
])
def test_issuing_body_and_place_come_from_the_site_name(name, body, place):
    found = locality(name)
    assert (found.body, found.place) == (body, place)


def test_page_is_a4_with_the_decree_margins(reporter):
    section = fetch(reporter).sections[0]
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21.0, 29.7)
    assert [round(m.cm, 2) for m in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)] == [2, 2, 3, 2]


def test_times_new_roman_13_to_14_for_every_script(reporter):
    doc = fetch(reporter)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"
    assert normal.paragraph_format.line_spacing in (None, 1.0) or \
        normal.paragraph_format.line_spacing >= 1.0
    sizes = {run.font.size for p in doc.paragraphs for run in p.runs if run.font.size}
    assert sizes and all(Pt(13) <= size <= Pt(14) for size in sizes)
    assert all(run.font.name in (None, "Times New Roman")
               for p in doc.paragraphs for run in p.runs)


def test_heading_holds_issuer_number_national_motto_and_date(reporter):
    doc = fetch(reporter)
    heading = doc.tables[0]
    (issuer, nation), (number, date) = (row.cells for row in heading.rows)
    assert cell_lines(issuer) == ["UBND PHƯỜNG HỒNG BÀNG"]
    assert cell_lines(number) == ["Số: …/BC-UBND"]
    assert cell_lines(nation) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                  "Độc lập – Tự do – Hạnh phúc"]
    assert all(run.bold for p in nation.paragraphs for run in p.runs)
    assert nation.paragraphs[0].runs[0].font.size == Pt(12)
    assert cell_lines(date) == [f"Hồng Bàng, ngày … tháng … năm {local_today().year}"]
    assert all(run.italic for run in date.paragraphs[0].runs)
    borders = heading._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_title_introduction_and_the_sections_of_seed_004_in_order(reporter):
    doc = fetch(reporter)
    paragraphs = [p for p in doc.paragraphs if p.text]
    texts = [p.text for p in paragraphs]
    title = paragraphs[texts.index("BÁO CÁO")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert texts[texts.index("BÁO CÁO") + 1] == (
        "Kết quả triển khai phong trào “Bình dân học vụ số” trên địa bàn phường Hồng Bàng")
    assert "(Số liệu từ ngày 01/05/2026 đến ngày 31/05/2026)" in texts
    intro = next(p for p in paragraphs if p.text.startswith("Thực hiện Công văn số"))
    assert any(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in intro.runs)
    headings = [p for p in paragraphs if p.text[:2] in {f"{n}." for n in range(1, 10)}]
    assert [p.text for p in headings][:5] == list(SECTIONS)
    assert [p.text[0] for p in headings] == [str(n) for n in range(1, len(headings) + 1)]
    assert all(run.bold for p in headings for run in p.runs)
    todo = [run for p in paragraphs for run in p.runs if run.text.startswith("[Nội dung do Phòng")]
    assert len(todo) >= 5
    assert all(run.italic and run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in todo)


def test_figures_equal_the_summary_api(reporter):
    text = body_text(fetch(reporter))
    api = reporter.get("/api/v1/reports/summary", query_string=MAY).get_json()
    assert (f"đã trực tiếp hỗ trợ {vn_number(api['assists'])} lượt công dân, tương ứng "
            f"{vn_number(api['citizens'])} người dân") in text
    for code, n in api["by_category"].items():
        assert f"- {CATEGORY_WORDS[code]}: {vn_number(n)} lượt (" in text
    for code, n in api["by_target_group"].items():
        assert f"{reference.TARGET_GROUPS[code][0].lower()}: {vn_number(n)} lượt (" in text
    assert f"Có {vn_number(api['by_outcome']['done'])} lượt hỗ trợ hoàn thành ngay" in text
    # The community digital team: canbo (officer) and doanvien (volunteer, 1 800 + 600 s).
    assert "có 2 cán bộ, đoàn viên trực tiếp tham gia hỗ trợ người dân" in text
    assert "Đoàn viên tình nguyện đã dành 0,7 giờ hỗ trợ trực tiếp người dân." in text
    assert "kích hoạt 1 tài khoản định danh điện tử, nộp 2 hồ sơ dịch vụ công trực tuyến" in text


def test_recipients_bottom_left_and_signature_bottom_right(reporter):
    doc = fetch(reporter)
    recipients, signature = signature_table(doc).rows[0].cells
    first, *lines = [p for p in recipients.paragraphs if p.text]
    assert first.text == "Nơi nhận:"
    assert first.runs[0].bold and first.runs[0].italic and first.runs[0].font.size == Pt(12)
    assert [p.text for p in lines] == ["- Như trên;", "- Lưu: VT, VHXH."]
    assert all(run.font.size == Pt(11) for p in lines for run in p.runs)
    signs = [p for p in signature.paragraphs if p.text]
    assert [p.text for p in signs] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                       "[Họ và tên]"]
    assert all(run.bold for p in signs for run in p.runs)
    assert signs[-1].runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert len(signature.paragraphs) - len(signs) >= 3  # room to sign
    assert (round(recipients.width.cm, 1), round(signature.width.cm, 1)) == (6.5, 9.5)


def test_appendix_tables_write_numbers_the_vietnamese_way(reporter):
    doc = fetch(reporter)
    categories = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nội dung")
    rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in categories.rows[1:]}
    assert rows[reference.SERVICES[0][2]] == ("2", "33,3")
    roles = next(t for t in doc.tables if t.rows[0].cells[0].text == "Vai trò")
    hours = {r.cells[0].text: tuple(c.text for c in r.cells[1:]) for r in roles.rows[1:]}
    assert hours["Đoàn viên tình nguyện"] == ("2", "1", "0,7")  # 1 800 + 600 s
    assert hours["Chưa ghi"] == ("2", "0", "0,0")  # a column's decimals line up


def test_city_wide_draft_leaves_the_issuer_to_fill_in(dataset, login):
    doc = fetch(login("thanhpho"), site="")
    issuer = doc.tables[0].rows[0].cells[0].paragraphs[0]
    assert issuer.text == "UBND [PHƯỜNG/XÃ …]"
    assert any(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in issuer.runs)
    assert doc.tables[0].rows[1].cells[1].text.startswith("[Địa danh], ngày … tháng …")


def test_print_page_renders_the_same_document(reporter):
    html = reporter.get("/reports/print", query_string={"kind": "month", "year": 2026,
                                                         "month": 5}).get_data(as_text=True)
    for text in ("UBND PHƯỜNG HỒNG BÀNG", "Số: …/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập – Tự do – Hạnh phúc", "Hồng Bàng, ngày … tháng … năm", *SECTIONS,
                 "Nơi nhận:", "- Lưu: VT, VHXH.", "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH",
                 "Đoàn viên tình nguyện đã dành 0,7 giờ"):
        assert text in html
    assert '<mark class="todo">[Nội dung do Phòng VHXH bổ sung' in html
    assert "<td class=\"num\">33,3</td>" in html and "33.3" not in html
