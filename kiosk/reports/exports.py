"""The assist rows of an export, streamed from SQL, and the CSVs made of them (docs/CSV.md):
the coded CSV for machines, the labelled one for people (`?labels=vi`)."""
import csv
import io
import re
from datetime import date, datetime

from sqlalchemy import Integer, String, cast, func

from kiosk import reference
from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.extensions import allow_long_statements, db
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
    ("satisfaction_scale", Assist.satisfaction_scale),
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


def row_batches(where: list, *leading, connection=None):
    """Yield, BATCH at a time as Core rows, the export's rows (after `leading` columns) of the
    assists matching `where`, in the export's order (on `connection`; default the session's)."""
    query = (db.select(*leading, *(column for _name, column in COLUMNS))
             .join(Site, Site.id == Assist.site_id)
             .where(*where)
             .order_by(Assist.local_day, Assist.id))
    at = TARGET_GROUPS_AT + len(leading)
    # Closed even when the client stops reading (PostgreSQL streams through a server cursor).
    # Options for this statement only: Connection.execution_options would change the
    # connection itself, and later statements of its transaction must not stream.
    connection = connection or db.session.connection()
    allow_long_statements(connection)  # a year streamed to a slow client outlasts the web's 10 s
    with connection.execute(query, execution_options={"yield_per": BATCH}) as result:
        for rows in result.partitions():
            for i, row in enumerate(rows):
                groups = row[at]
                if groups and ";" in groups:  # the aggregate's order is not guaranteed: sort it
                    rows[i] = (*row[:at], ";".join(sorted(groups.split(";"))), *row[at + 1:])
            yield rows


def assist_rows(scope: Scope):
    """Yield the export's rows as tuples in HEADER order, fetched BATCH at a time."""
    for rows in row_batches(assist_filters(scope)):
        yield from rows


def csv_chunks(scope: Scope):
    """Yield the CSV as UTF-8 chunks: BOM, header, then the assists' lines, BATCH a chunk,
    rendered from the log as they stream (constant memory).

    PostgreSQL writes the lines itself (kiosk/reports/pglines.py, through a server-side cursor:
    the same columns, quoting and neutralising, much faster than the driver and the csv
    module); SQLite renders them with the csv module here.
    """
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(HEADER)
    yield (BOM + header.getvalue()).encode("utf-8")
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        from kiosk.reports.pglines import line_chunks  # pglines reads this module's columns

        yield from line_chunks(connection, scope)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for rows in row_batches(assist_filters(scope)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(neutralise_row(row) for row in rows)
        yield buffer.getvalue().encode("utf-8")


# The labelled export (CSV ?labels=vi and the workbook's log sheet): Vietnamese headers, in
# HEADER's order, and Vietnamese words instead of codes. Always Vietnamese: it is the office's file.
LABELLED_HEADER = (
    "Mã lượt hỗ trợ", "Mã đơn vị", "Ngày", "Kết thúc lúc", "Bắt đầu lúc", "Gọi số lúc",
    "Lấy số lúc", "Thời gian chờ (giây)", "Thời gian hỗ trợ (giây)", "Hình thức hỗ trợ",
    "Địa điểm", "Nội dung hỗ trợ", "Kết quả", "Lý do chưa thành công", "Đối tượng", "Độ tuổi",
    "Giới tính", "Mã người hỗ trợ", "Vai trò người hỗ trợ", "Tài khoản định danh được kích hoạt",
    "Hồ sơ dịch vụ công đã nộp", "Giao dịch thanh toán không dùng tiền mặt",
    "Ứng dụng số đã cài đặt", "Nền tảng học tập được giới thiệu", "Mức độ hài lòng",
    "Mã lần đến", "Nhập bù", "Ghi chú", "Thang đánh giá (số mức)",
)
_WORDS = {
    "channel": reference.CHANNELS,
    "category": {code: (vi, en) for code, _p, vi, en, _i in reference.SERVICES},
    "outcome": reference.OUTCOMES,
    "failure_reason": reference.FAILURE_REASONS,
    "age_band": reference.AGE_BANDS,
    "gender": reference.GENDERS,
    "helper_role": reference.ROLE_LABELS,
    "platform_code": {code: (name, name) for code, name, *_rest in reference.PLATFORMS},
}
_WORDS_AT = tuple((HEADER.index(name), words) for name, words in _WORDS.items())
_DAY_AT = HEADER.index("local_day")
_TIMES_AT = tuple(HEADER.index(name) for name in ("ended_at", "started_at", "called_at",
                                                   "issued_at"))
_RATING_AT, _SCALE_AT = HEADER.index("satisfaction"), HEADER.index("satisfaction_scale")
_BACKDATED_AT = HEADER.index("backdated")
YES, NO = "Có", "Không"


def _word(words: dict, code):
    """Return a code's Vietnamese word (an unknown code stays as it is; blank stays blank)."""
    pair = words.get(code)
    return pair[0] if pair else code


def labelled_row(row) -> list:
    """Return an export row for people: words for codes, date and datetime values for the
    ISO texts (local wall-clock time), the rating in the words of the scale the citizen saw."""
    out = list(row)
    for at, words in _WORDS_AT:
        out[at] = _word(words, out[at])
    if out[_DAY_AT]:
        out[_DAY_AT] = date.fromisoformat(out[_DAY_AT])
    for at in _TIMES_AT:
        if out[at]:
            out[at] = datetime.fromisoformat(out[at]).replace(tzinfo=None)
    groups = out[TARGET_GROUPS_AT]
    if groups:
        out[TARGET_GROUPS_AT] = "; ".join(_word(reference.TARGET_GROUPS, g)
                                          for g in groups.split(";"))
    if out[_RATING_AT] is not None:
        scale = reference.RATING_SCALES.get(out[_SCALE_AT] or 5, reference.SATISFACTION)
        out[_RATING_AT] = _word(scale, out[_RATING_AT])
    out[_BACKDATED_AT] = YES if out[_BACKDATED_AT] else NO
    return out


def labelled_rows(scope: Scope):
    """Yield the labelled rows of a scope's assists (from the log, BATCH at a time)."""
    for rows in row_batches(assist_filters(scope)):
        for row in rows:
            yield labelled_row(row)


def _csv_value(value):
    """Return a labelled cell as CSV text: ISO day, "YYYY-MM-DD HH:MM:SS", text neutralised."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def labelled_csv_chunks(scope: Scope):
    """Yield the labelled CSV as UTF-8 chunks: BOM, Vietnamese header, then BATCH rows a chunk
    (rendered from the log: constant memory, the same quoting and neutralising as the coded)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LABELLED_HEADER)
    yield (BOM + buffer.getvalue()).encode("utf-8")
    for rows in row_batches(assist_filters(scope)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_value(v) for v in labelled_row(row)] for row in rows)
        yield buffer.getvalue().encode("utf-8")
