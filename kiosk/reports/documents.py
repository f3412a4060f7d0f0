"""The Excel workbook (openpyxl, write-only) and the .docx draft (python-docx) of a report."""
import io
import tempfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kiosk.reports.draft import vn_number
from kiosk.reports.exports import HEADER, assist_rows
from kiosk.reports.queries import Scope
from kiosk.reports.tables import breakdown_tables, helper_rows, role_rows

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text_cell(sheet, value):
    """Return a cell that holds value as text: a note "=…" stays words, never a formula."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return value


def _sheet_title(title: str) -> str:
    """Return a title Excel accepts (31 characters, none of []:*?/\\)."""
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]


def workbook_file(scope: Scope, report: dict) -> tempfile.SpooledTemporaryFile:
    """Write the assists sheet and one sheet per breakdown; return the file, rewound."""
    book = Workbook(write_only=True)
    summary = book.create_sheet(_sheet_title(_("Tổng hợp")))
    summary.append([_("Từ ngày"), scope.period.first.isoformat()])
    summary.append([_("Đến ngày"), scope.period.last.isoformat()])
    for title, value in ((_("Lượt hỗ trợ"), report["assists"]),
                         (_("Người dân được hỗ trợ"), report["citizens"]),
                         (_("Lượt hỗ trợ từ đầu năm"), report["ytd"]["assists"]),
                         (_("Người dân từ đầu năm"), report["ytd"]["citizens"]),
                         (_("Người hỗ trợ tham gia"), report["active_helpers"]),
                         (_("Giờ hỗ trợ của đoàn viên"), report["volunteer_hours"])):
        summary.append([title, value])
    rows = book.create_sheet(_sheet_title(_("Lượt hỗ trợ")))
    rows.append(list(HEADER))
    for row in assist_rows(scope):
        rows.append([_text_cell(rows, value) for value in row])
    for table in breakdown_tables(report):
        sheet = book.create_sheet(_sheet_title(table.title))
        sheet.append([_("Mã"), _("Nội dung"), _("Số lượt"), _("Tỷ lệ (%)")])
        for code, name, count, share in table.rows:
            sheet.append([_text_cell(sheet, str(code)), _text_cell(sheet, name), count, share])
    _append_table(book, _("Theo vai trò"), [_("Vai trò"), _("Số lượt"), _("Số người"), _("Giờ")],
                  role_rows(report))
    _append_table(book, _("Theo người hỗ trợ"),
                  [_("Người hỗ trợ"), _("Vai trò"), _("Số lượt"), _("Giờ")], helper_rows(report))
    if "sites" in report:
        _append_table(book, _("Theo đơn vị"), [_("Mã"), _("Đơn vị"), _("Lượt hỗ trợ"),
                                               _("Người dân")],
                      [(s["code"], s["name"], s["assists"], s["citizens"]) for s in report["sites"]])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book.save(out)
    out.seek(0)
    return out


def _append_table(book, title: str, header: list, rows: list) -> None:
    """Add a sheet holding a header and rows (text cells kept as text)."""
    sheet = book.create_sheet(_sheet_title(title))
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])


def draft_document(blocks: list[tuple[str, str]], tables: list) -> io.BytesIO:
    """Write the draft as .docx in the style of administrative documents (Times New Roman 14)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    for section in doc.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    for kind, text in blocks:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(text)
        if kind in ("title", "subtitle", "note"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = kind != "note"
            run.italic = kind == "note"
        elif kind == "heading":
            run.bold = True
            paragraph.paragraph_format.first_line_indent = Cm(1)
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Cm(1)
    doc.add_paragraph().add_run("Phụ lục: số liệu chi tiết").bold = True
    for table in tables:
        doc.add_paragraph().add_run(table.title).italic = True
        grid = doc.add_table(rows=1, cols=3)
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, ("Nội dung", "Số lượt", "Tỷ lệ (%)")):
            cell.text = text
        for _code, name, count, share in table.rows:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = name, vn_number(count), vn_number(share)
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out
