"""The coded CSV written by PostgreSQL itself: COPY (the export's query) TO STDOUT.

Formatting a city's year in Python is bound by the driver (29 values a row) and the csv module;
PostgreSQL's CSV writer is C, and COPY streams while the server works. The bytes are those
csv.writer (QUOTE_MINIMAL, CRLF) writes after neutralise_row:
- text cells are neutralised in the query (a leading ' before what a spreadsheet would run);
- an empty text becomes NULL, written empty and unquoted as the csv module writes '' (COPY
  would quote an empty string to tell it from NULL);
- COPY quotes a cell holding a comma, a quote, CR or LF, doubling the quotes, as csv.writer;
- COPY ends a row with LF: each message of COPY TO is one row (PostgreSQL's protocol says so),
  so its last byte becomes CRLF, and line breaks inside a quoted note stay as they are.
tests/reports/test_exports.py compares the bytes with the csv module's on tricky cells.
"""
from sqlalchemy import Text, and_, case, cast, func, literal, literal_column, null, select, true

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.extensions import allow_long_statements
from kiosk.queue.models import Site
from kiosk.reports.exports import COLUMNS, TEXT_AT
from kiosk.reports.queries import Scope, assist_filters

# exports._FORMULA_START and exports._NUMBER ([0-9]: the csv module's \d also takes other
# scripts' digits, which no code or note here starts with).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = "^[+-]?[0-9]+([.,][0-9]+)?$"
CHUNK = 256 * 1024
# Up to a month, the target groups are looked up row by row (see export_query).
FEW_DAYS = 31


def _text_cell(value):
    """Neutralise a text cell; '' becomes NULL (an empty, unquoted cell)."""
    neutralised = case((and_(func.left(value, 1).in_(FORMULA_START), ~value.regexp_match(NUMBER)),
                        literal("'") + value), else_=value)
    return case((value == "", null()), else_=neutralised)


def export_query(where: list, few: bool):
    """Return the query COPY writes: the export's cells in HEADER order, rows in its order;
    `few`: one site's assists, or fewer than FEW_DAYS days of them."""
    code = literal_column("';' ORDER BY assist_target_group.code COLLATE \"C\"")
    codes = func.string_agg(AssistTargetGroup.code, code).label("codes")
    if few:  # a site's rows, or a month's: each one's target groups looked up by its id
        groups = select(codes).where(AssistTargetGroup.assist_id == Assist.id).lateral("groups")
        joined = true()
    else:
        # The city's rows over more than a month: every assist's groups aggregated once and
        # merged by id (0.2 s on 1.5 M assists, which a day's export would feel). Every cell is
        # then a plain expression of the joined row, so the parallel workers compute them (a
        # lookup per row keeps the whole projection in the leader: 130 k rows/s against 205 k).
        groups = (select(AssistTargetGroup.assist_id, codes)
                  .group_by(AssistTargetGroup.assist_id).subquery("groups"))
        joined = groups.c.assist_id == Assist.id
    values = [cast(groups.c.codes if name == "target_groups" else column, Text)
              for name, column in COLUMNS]
    cells = [_text_cell(value) if i in TEXT_AT else value for i, value in enumerate(values)]
    return (select(*cells).select_from(Assist).join(Site, Site.id == Assist.site_id)
            .outerjoin(groups, joined).where(*where).order_by(Assist.local_day, Assist.id))


def line_chunks(connection, scope: Scope):
    """Yield the CSV lines of the scope's assists as UTF-8 chunks (CRLF ends)."""
    few = scope.site_id is not None or (scope.period.last - scope.period.first).days < FEW_DAYS
    # JIT compiling this wide query costs seconds before the first line, and buys nothing;
    # a year streamed to a slow client outlasts the web's 10 s statement timeout.
    connection.exec_driver_sql("SET LOCAL jit = off")
    # A memoized lookup of the site is cheaper per row, but it is planned above the workers'
    # gather and takes the projection of every cell with it: a hash join keeps both in them.
    connection.exec_driver_sql("SET LOCAL enable_memoize = off")
    allow_long_statements(connection)
    sql = export_query(assist_filters(scope), few).compile(connection,
                                                           compile_kwargs={"literal_binds": True})
    buffer = bytearray()
    with connection.connection.dbapi_connection.cursor() as cursor, \
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for row in copy:  # one row, LF-terminated
            buffer += row[:-1]
            buffer += b"\r\n"
            if len(buffer) >= CHUNK:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)
