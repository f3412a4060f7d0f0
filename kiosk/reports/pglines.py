"""The coded CSV's lines rendered by PostgreSQL, streamed through a server-side cursor.

Formatting a city's year in Python is bound by the driver (29 values a row) and the csv module;
PostgreSQL builds each line as one text value far faster, and the driver then moves one value
a row. The line is what csv.writer (QUOTE_MINIMAL, CRLF) writes after neutralise_row: a text
cell that a spreadsheet would run as a formula gets a leading ', a cell holding a comma, a
quote, CR or LF is quoted with its quotes doubled, NULL and '' are empty, numbers are plain.
tests/reports/test_exports.py compares the bytes with the csv module's on tricky cells.
"""
from sqlalchemy import Text, and_, case, cast, func, literal, literal_column, select

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.queue.models import Site
from kiosk.reports.exports import BATCH, COLUMNS, TEXT_AT

# exports._FORMULA_START and exports._NUMBER, as PostgreSQL regular expressions ([0-9]: the
# csv module's \d also takes other scripts' digits, which no code or note here starts with).
FORMULA_START = "^[=+@\t\r-]"
NUMBER = "^[+-]?[0-9]+([.,][0-9]+)?$"
NEEDS_QUOTES = '[",\r\n]'


def _neutralised(value):
    """Prefix ' to a text that starts like a formula and is not a real number."""
    return case((and_(value.regexp_match(FORMULA_START), ~value.regexp_match(NUMBER)),
                 literal("'") + value), else_=value)


def _cell(value):
    """Quote a cell's text when csv.writer would; NULL is an empty cell."""
    text = func.coalesce(value, "")
    return case((text.regexp_match(NEEDS_QUOTES),
                 literal('"') + func.replace(text, '"', '""') + literal('"')), else_=text)


def lines_query(where: list):
    """Return the query of the CSV lines (CRLF included) of the assists matching `where`."""
    groups = (select(func.string_agg(AssistTargetGroup.code,
                                     literal_column("';' ORDER BY assist_target_group.code COLLATE \"C\"")))
              .where(AssistTargetGroup.assist_id == Assist.id).scalar_subquery())
    # The values once, in a subquery: each is read by several CASE branches of its cell.
    values = (select(*(cast(groups if name == "target_groups" else column, Text).label(f"c{i}")
                       for i, (name, column) in enumerate(COLUMNS)),
                     Assist.local_day.label("day"), Assist.id.label("id"))
              .join(Site, Site.id == Assist.site_id).where(*where).subquery())
    cells = []
    for i in range(len(COLUMNS)):
        value = values.c[f"c{i}"]
        cells.append(_cell(_neutralised(value) if i in TEXT_AT else value))
    line = func.concat_ws(",", *cells).op("||")(literal("\r\n"))
    return select(line).order_by(values.c.day, values.c.id)


def line_chunks(connection, where: list):
    """Yield the CSV lines of the assists matching `where`, BATCH lines a UTF-8 chunk."""
    with connection.execute(lines_query(where), execution_options={"yield_per": BATCH}) as result:
        for lines in result.scalars().partitions():
            yield "".join(lines).encode("utf-8")
