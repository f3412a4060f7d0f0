"""The assist rows of an export, streamed from SQL, and the CSV made of them (docs/CSV.md)."""
import csv
import io
import re

from sqlalchemy import Integer, String, cast, func

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports.queries import Scope, assist_filters
from kiosk.reports.sqlfuncs import iso_day, local_iso

BOM = "\ufeff"
BATCH = 5000
# The documented, stable columns of docs/CSV.md: add at the end, never rename or reorder.
COLUMNS = (
    ("assist_id", Assist.id),
    ("site_code", Site.code),
    ("local_day", iso_day(Assist.local_day)),
    ("ended_at", local_iso(Assist.ended_at)),
    ("started_at", local_iso(Assist.started_at)),
    ("called_at", local_iso(Assist.called_at)),
    ("issued_at", local_iso(Assist.issued_at)),
    ("wait_seconds", Assist.wait_seconds),
    ("service_seconds", Assist.service_seconds),
    ("channel", Assist.channel),
    ("place", Assist.place),
    ("category", Assist.category),
    ("outcome", Assist.outcome),
    ("failure_reason", Assist.failure_reason),
    ("target_groups", db.select(func.aggregate_strings(AssistTargetGroup.code, ";"))
     .where(AssistTargetGroup.assist_id == Assist.id).scalar_subquery()),
    ("age_band", Assist.age_band),
    ("gender", Assist.gender),
    ("helper_id", Assist.helper_id),
    ("helper_role", Assist.helper_role),
    ("vneid_activated", Assist.vneid_activated),
    ("dossiers_submitted", Assist.dossiers_submitted),
    ("payments_made", Assist.payments_made),
    ("apps_installed", Assist.apps_installed),
    ("platform_code", Assist.platform_code),
    ("satisfaction", Assist.satisfaction),
    ("visit_key", Assist.visit_key),
    ("backdated", cast(Assist.backdated, Integer)),
    ("note", Assist.note),
)
HEADER = tuple(name for name, _column in COLUMNS)
TARGET_GROUPS_AT = HEADER.index("target_groups")
# Only text read from the log can start like a formula; dates, times and numbers are ours.
TEXT_AT = tuple(i for i, (name, column) in enumerate(COLUMNS)
                if isinstance(column.type, String) and name not in
                ("local_day", "ended_at", "started_at", "called_at", "issued_at"))

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?\Z")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix ' to a text cell a spreadsheet would run as a formula; real numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    """Neutralise the text cells of a row (the hot loop of a big export: checks inline)."""
    out = list(row)
    for i in TEXT_AT:
        value = out[i]
        if value and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
            out[i] = "'" + value
    return out


def count_rows(scope: Scope) -> int:
    """Count the rows an export of this scope holds."""
    return db.session.execute(db.select(func.count()).where(*assist_filters(scope))).scalar_one()


def row_batches(scope: Scope):
    """Yield the export's rows in HEADER order, BATCH at a time, as Core rows (no ORM loading)."""
    query = (db.select(*(column for _name, column in COLUMNS))
             .join(Site, Site.id == Assist.site_id)
             .where(*assist_filters(scope))
             .order_by(Assist.local_day, Assist.id))
    # Closed even when the client stops reading (PostgreSQL streams through a server cursor).
    with db.session.connection().execution_options(yield_per=BATCH).execute(query) as result:
        for rows in result.partitions():
            for i, row in enumerate(rows):
                groups = row[TARGET_GROUPS_AT]
                if groups and ";" in groups:  # the aggregate's order is not guaranteed: sort it
                    rows[i] = (*row[:TARGET_GROUPS_AT], ";".join(sorted(groups.split(";"))),
                               *row[TARGET_GROUPS_AT + 1:])
            yield rows


def assist_rows(scope: Scope):
    """Yield the export's rows as tuples in HEADER order, fetched BATCH at a time."""
    for rows in row_batches(scope):
        yield from rows


# Where a written cell could start like a formula: after a \n or a comma; a cell
# starting with CR is always quoted (an unquoted CR ends the line). A batch with no match needs
# no check; one with a match is written again row by row through neutralise_row.
_MAYBE_FORMULA = re.compile(r'[,\n](?:[=+\-@\t]|"[=+\-@\t\r])')
_MAYBE_FIRST = tuple('"=+-@\t')  # the batch's first cell has no comma or \n before it


def csv_chunks(scope: Scope):
    """Yield the CSV as UTF-8 chunks: BOM, header, then one line per assist, BATCH rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADER)
    for rows in row_batches(scope):
        start = buffer.tell()
        writer.writerows(rows)
        text = buffer.getvalue()
        if text.startswith(_MAYBE_FIRST, start) or _MAYBE_FORMULA.search(text, start):
            buffer.seek(start)
            buffer.truncate()
            writer.writerows(map(neutralise_row, rows))
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
