"""The .docx of the draft report, in the format of Decree 30/2020/NĐ-CP (python-docx).

A4, margins 2/2/3/2 cm, Times New Roman 14 with the East Asian font set too (Word picks the
font of Vietnamese letters from it), single line spacing and 6 pt between paragraphs; the
heading and the signature are borderless two-column tables, as offices lay them out.
"""
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from kiosk.reports.draft import Block, Draft

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH = Cm(16)  # 21 − 3 − 2
LEFT_COLUMN, RIGHT_COLUMN = Cm(6.5), Cm(9.5)
CENTER, JUSTIFY, LEFT, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY,
                                WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT)

# The schema orders a paragraph's properties: the border comes before these.
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                    "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def draft_document(draft: Draft, tables=None) -> io.BytesIO:
    """Write the draft as .docx; `tables` is unused (the draft carries its formatted appendix)."""
    doc = Document()
    _page_and_fonts(doc)
    _page_numbers(doc)
    _heading_table(doc, draft)
    for item in draft.body:
        _body_paragraph(doc, item)
    _recipients_and_signature(doc, draft)
    if draft.appendix:
        _appendix(doc, draft)
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


def _page_and_fonts(doc) -> None:
    """Set A4 and the decree's margins; Times New Roman 14 for every script, single spacing."""
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
    _set_fonts(doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
               .find(qn("w:rPr")))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)


def _page_numbers(doc) -> None:
    """Number the pages from the second, centred at the top, as the decree asks."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _set_fonts(rpr) -> None:
    """Name Times New Roman for Latin, East Asian and complex scripts; drop theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith("Theme") or key.endswith("theme"):
            del fonts.attrib[key]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")


def _line(container, text: str = "", *, size: float = BODY_PT, bold=False, italic=False,
          align=CENTER, after: float = 0):
    """Add a paragraph of one run (heading, signature and recipients lines); return it."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(cell, column, length, after: float = 0) -> None:
    """Add a centred rule `length` long in a column: an empty paragraph's top border."""
    paragraph = _line(cell, after=after)
    paragraph.paragraph_format.space_before = Pt(3)  # clear of the letters' descenders
    paragraph.paragraph_format.left_indent = (column - length) // 2
    paragraph.paragraph_format.right_indent = (column - length) // 2
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDER)


def _borderless(doc, rows: int):
    """Add a two-column table without borders across the text, rows kept on one page."""
    table = doc.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (LEFT_COLUMN, RIGHT_COLUMN))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar",
                                           "w:tblLook", "w:tblCaption", "w:tblDescription")
    return table


def _widths(table, widths) -> None:
    """Fix the columns' widths: Word reads the cells', LibreOffice the grid's."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _runs(paragraph, item: Block, size: float = BODY_PT, bold=False, italic=False) -> None:
    """Add a block's parts as runs; marked places are italic and highlighted for the clerk."""
    for part in item.parts:
        run = paragraph.add_run(part.text)
        run.font.size, run.bold = Pt(size), bold
        run.italic = italic or part.todo
        if part.todo:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _heading_table(doc, draft: Draft) -> None:
    """Write the issuing body and number (left), the national heading and date line (right)."""
    table = _borderless(doc, rows=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = CENTER
    _runs(left.paragraphs[0], draft.issuer, size=12, bold=True)
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    _rule(left, LEFT_COLUMN, Cm(2.5))  # a third to a half of the name above it
    right.paragraphs[0].alignment = CENTER
    right.paragraphs[0].paragraph_format.space_after = Pt(0)
    run = right.paragraphs[0].add_run(draft.nation)
    run.font.size, run.bold = Pt(12), True
    _line(right, draft.motto, size=13, bold=True)
    _rule(right, RIGHT_COLUMN, Cm(5.5))  # as long as the motto above it
    number, date = table.rows[1].cells
    number.paragraphs[0].alignment = CENTER
    number.paragraphs[0].add_run(draft.number).font.size = Pt(13)
    date.paragraphs[0].alignment = CENTER
    _runs(date.paragraphs[0], draft.place_date, size=14, italic=True)


def _body_paragraph(doc, item: Block) -> None:
    """Write one block of the body in its decree style."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    if item.kind in ("title", "subtitle", "period"):
        paragraph.alignment = CENTER
        fmt.space_after = Pt(0)
        if item.kind == "title":
            fmt.space_before = Pt(18)
        _runs(paragraph, item, bold=item.kind != "period", italic=item.kind == "period")
        if item.kind == "period":
            _rule(doc, TEXT_WIDTH, Cm(4), after=6)  # under the title's summary, as decreed
        return
    paragraph.alignment = JUSTIFY
    fmt.first_line_indent = Cm(1)
    # A heading stays with its text, the closing with the signature (never alone on a page).
    fmt.keep_with_next = item.kind in ("heading", "closing")
    _runs(paragraph, item, bold=item.kind == "heading")


def _recipients_and_signature(doc, draft: Draft) -> None:
    """Write "Nơi nhận" bottom left and the signature block bottom right."""
    table = _borderless(doc, rows=1)
    left, right = table.rows[0].cells
    left.paragraphs[0].paragraph_format.space_before = Pt(12)
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    left.paragraphs[0].alignment = LEFT
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.font.size, run.bold, run.italic = Pt(12), True, True
    for line in draft.recipients:
        _line(left, line, size=11, align=LEFT)
    right.paragraphs[0].paragraph_format.space_before = Pt(12)
    right.paragraphs[0].paragraph_format.space_after = Pt(0)
    right.paragraphs[0].alignment = CENTER
    first, *rest = draft.signature
    run = right.paragraphs[0].add_run(first)
    run.font.size, run.bold = Pt(BODY_PT), True
    for line in rest:
        _line(right, line, bold=True)
    for _blank in range(4):  # room for the signature and the seal
        _line(right)
    _runs(_line(right), draft.signer, bold=True)


def _appendix(doc, draft: Draft) -> None:
    """Start a page with the appendix: the tables behind the figures, numbers right-aligned."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _line(doc, "PHỤ LỤC", bold=True)
    _line(doc, "Số liệu thống kê chi tiết", bold=True)
    _line(doc, "(Kèm theo Báo cáo số …/BC-UBND ngày … tháng … năm …)", italic=True, after=12)
    for table in draft.appendix:
        caption = _line(doc, table.title, italic=True, align=LEFT, after=3)
        caption.paragraph_format.keep_with_next = True
        grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
        grid.style = "Table Grid"
        figures = len(table.header) - 1
        _widths(grid, [TEXT_WIDTH - Cm(2.5) * figures] + [Cm(2.5)] * figures)
        for row, texts in zip(grid.rows, [table.header, *table.rows]):
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for column, (cell, text) in enumerate(zip(row.cells, texts)):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.alignment = RIGHT if column else LEFT
                run = paragraph.add_run(text)
                run.font.size, run.bold = Pt(13), texts is table.header
        _line(doc, after=6)
