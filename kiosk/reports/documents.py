"""The Excel workbook (openpyxl, write-only) of a report; the .docx draft is in docx.py.

The log sheet is for people: Vietnamese headers and words (exports.labelled_row), real date
and datetime cells, a frozen header row with a filter, columns wide enough to read. Figures are
number cells with a number format: Excel shows them with the reader's own separators (70,6 on a
Vietnamese Windows), so the workbook holds numbers, never text that looks like one.
"""
import tempfile
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from kiosk.reports.docx import draft_document  # noqa: F401 (the view sends both files from here)
from kiosk.reports.exports import HEADER, LABELLED_HEADER, labelled_rows
from kiosk.reports.numbers import decimal_format
from kiosk.reports.queries import Scope
from kiosk.reports.tables import breakdown_tables, helper_rows, role_rows

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DAY_FORMAT, TIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
# Widths (in characters) of the log's columns whose content is longer than their header.
LOG_WIDTHS = {"local_day": 12, "ended_at": 17, "started_at": 17, "called_at": 17,
              "issued_at": 17, "channel": 14, "place": 24, "category": 48, "outcome": 20,
              "failure_reason": 28, "target_groups": 34, "helper_role": 22, "platform_code": 30,
              "satisfaction": 18, "visit_key": 14, "note": 48}
MAX_WIDTH = 48


def _text_cell(sheet, value):
    """Return a cell that holds value as text: a note "=…" stays words, never a formula."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return value


def _cell(sheet, value, number_format: str | None = None):
    """Return a cell for value: text kept as text, days and times as date cells, figures with
    `number_format` when given."""
    if isinstance(value, (date, datetime)):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = TIME_FORMAT if isinstance(value, datetime) else DAY_FORMAT
        return cell
    if number_format and isinstance(value, (int, float)):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = number_format
        return cell
    return _text_cell(sheet, value)


def _sheet_title(title: str) -> str:
    """Return a title Excel accepts (31 characters, none of []:*?/\\)."""
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]


def _header_sheet(book, title: str, header, widths) -> object:
    """Add a sheet with column widths, a frozen header row and the header (before any row)."""
    sheet = book.create_sheet(_sheet_title(title))
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(list(header))
    return sheet


def _filter(sheet, columns: int, rows: int) -> None:
    """Put Excel's filter buttons on the header of a sheet of `rows` data rows."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def _log_sheet(book, scope: Scope) -> None:
    """Add the assists, one row each, in Vietnamese words (the labelled CSV's columns)."""
    widths = [min(max(len(title) + 2, LOG_WIDTHS.get(name, 10)), MAX_WIDTH)
              for name, title in zip(HEADER, LABELLED_HEADER)]
    sheet = _header_sheet(book, _("Lượt hỗ trợ"), LABELLED_HEADER, widths)
    rows = 0
    for row in labelled_rows(scope):
        sheet.append([_cell(sheet, value) for value in row])
        rows += 1
    _filter(sheet, len(LABELLED_HEADER), rows)


def workbook_file(scope: Scope, report: dict) -> tempfile.SpooledTemporaryFile:
    """Write the summary, the assists and one sheet per breakdown; return the file, rewound."""
    book = Workbook(write_only=True)
    one, whole = decimal_format(1), decimal_format(0)
    summary = _header_sheet(book, _("Tổng hợp"), [_("Chỉ số"), _("Giá trị")], [34, 14])
    summary.append([_("Từ ngày"), _cell(summary, scope.period.first)])
    summary.append([_("Đến ngày"), _cell(summary, scope.period.last)])
    for title, value, form in ((_("Lượt hỗ trợ"), report["assists"], whole),
                               (_("Người dân được hỗ trợ"), report["citizens"], whole),
                               (_("Lượt hỗ trợ từ đầu năm"), report["ytd"]["assists"], whole),
                               (_("Người dân từ đầu năm"), report["ytd"]["citizens"], whole),
                               (_("Người hỗ trợ tham gia"), report["active_helpers"], whole),
                               (_("Giờ hỗ trợ của đoàn viên"), report["volunteer_hours"], one)):
        summary.append([title, _cell(summary, value, form)])
    _log_sheet(book, scope)
    for table in breakdown_tables(report):
        _append_table(book, table.title, [_("Mã"), _("Nội dung"), _("Số lượt"), _("Tỷ lệ (%)")],
                      [(str(code), name, count, share) for code, name, count, share in table.rows],
                      [14, 44, 10, 10], {2: whole, 3: one})
    _append_table(book, _("Theo vai trò"), [_("Vai trò"), _("Số lượt"), _("Số người"), _("Giờ")],
                  role_rows(report), [26, 10, 10, 10], {1: whole, 2: whole, 3: one})
    _append_table(book, _("Theo người hỗ trợ"),
                  [_("Người hỗ trợ"), _("Vai trò"), _("Số lượt"), _("Giờ")], helper_rows(report),
                  [30, 26, 10, 10], {2: whole, 3: one})
    if "sites" in report:
        _append_table(book, _("Theo đơn vị"), [_("Mã"), _("Đơn vị"), _("Lượt hỗ trợ"),
                                               _("Người dân")],
                      [(s["code"], s["name"], s["assists"], s["citizens"])
                       for s in report["sites"]], [12, 34, 12, 12], {2: whole, 3: whole})
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book.save(out)
    out.seek(0)
    return out


def _append_table(book, title: str, header: list, rows: list, widths: list,
                  formats: dict) -> None:
    """Add a sheet holding a header and rows (text kept as text, figures {column: format})."""
    sheet = _header_sheet(book, title, header, widths)
    for row in rows:
        sheet.append([_cell(sheet, value, formats.get(n)) for n, value in enumerate(row)])
    _filter(sheet, len(header), len(rows))
