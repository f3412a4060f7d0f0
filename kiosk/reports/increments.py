"""Keep the summaries (ReportHalf, ReportMonth) equal to the assist log by increments.

Each assist adds to its (span, site) rows: one to `assists` of every breakdown it falls in,
and its quantity to `amount` (seconds, a counter; one visit to "all" unless another live assist
of the same visit is already in that span). A transaction's change is the difference between
what its touched assists add at its end and what they added at its start: the start is read
from the database before the first flush that changes a row, the end after the last flush,
in before_commit; the difference is added with one upsert a table, and rows left at zero are
deleted. The same breakdowns as raw_facts (kiosk/reports/summary.py), so a rebuild from the
log gives the same rows; tests compare them after every kind of write.

At commit, after every other row lock of the transaction, the sites' rows are locked: two
transactions adding assists of one visit at one site take turns, and the second sees the
first's rows when it asks whether the visit is already counted. The live version's increment
(kiosk/queue/live.py, whose before_commit runs first: this module imports it) has locked the
sites whose live rows changed, assists' sites among them; any other is locked here (FOR NO KEY
UPDATE, the same lock).
"""
import functools
from collections import defaultdict
from datetime import UTC, timedelta

from sqlalchemy import and_, delete, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.queue.live import bumped_sites
from kiosk.queue.models import Site
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.summary import COUNTERS, OPTIONAL_DIMS, TEXT_DIMS, half_bounds, month_bounds

BASE_KEY = "summary_base"  # assist id -> its contribution at the transaction's start
NEW_KEY = "summary_new"  # assist id -> the Assist this transaction inserted
SITES_KEY = "summary_sites"  # the sites of the assists the transaction wrote
LOCAL_OFFSET = timedelta(hours=7)  # Asia/Ho_Chi_Minh, as reports.sqlfuncs.local_hour
ROW_COLUMNS = (Assist.id, Assist.site_id, Assist.local_day, Assist.visit_key, Assist.deleted_at,
               Assist.helper_id, Assist.helper_role, Assist.ended_at, Assist.satisfaction,
               Assist.satisfaction_scale, Assist.wait_seconds, Assist.service_seconds,
               *TEXT_DIMS.values(), *OPTIONAL_DIMS.values(),
               *(getattr(Assist, name) for name in COUNTERS))


def _contribution(row, groups: list[str]) -> dict | None:
    """Return what one live assist adds to its span's breakdowns: {(dim, code, number):
    (assists, amount)}, with its site, day and visit; None for a deleted one."""
    if row.deleted_at is not None:
        return None
    keys = defaultdict(lambda: [0, 0])

    def add(dim, code, number, amount=0):
        keys[(dim, code, number)][0] += 1
        keys[(dim, code, number)][1] += amount

    add("helper", row.helper_role or "", row.helper_id or 0, row.service_seconds or 0)
    add("heat", "", row.local_day.weekday() * 100 + (row.ended_at.astimezone(UTC) + LOCAL_OFFSET).hour)
    for code in groups:
        add("target_group", code, 0)
    if row.satisfaction is not None:
        add("satisfaction", str(row.satisfaction_scale), row.satisfaction)
    for dim, column in TEXT_DIMS.items():
        add(dim, getattr(row, column.key) or "", 0)
    for dim, column in OPTIONAL_DIMS.items():
        if getattr(row, column.key) is not None:
            add(dim, getattr(row, column.key), 0)
    for name in COUNTERS:
        add("counter", name, 0, getattr(row, name) or 0)
    for dim, seconds in (("wait", row.wait_seconds), ("service", row.service_seconds)):
        if seconds is not None:
            add(dim, "", seconds // 60, seconds)
    return {"site": row.site_id, "day": row.local_day, "visit": row.visit_key, "keys": keys}


def _held(assists: dict) -> dict:
    """Return the contributions of assists this transaction inserted, from the objects: after
    the last flush they hold what their rows hold, and no other transaction sees those rows."""
    # A collection never touched is not loaded (reading it would query): it holds no group.
    return {i: _contribution(a, [g.code for g in inspect(a).dict.get("target_groups", ())])
            for i, a in assists.items()}


def _read(connection, ids) -> dict:
    """Return the contributions of these assists as the database holds them now."""
    if not ids:
        return {}
    groups = defaultdict(list)
    for assist_id, code in connection.execute(
            select(AssistTargetGroup.assist_id, AssistTargetGroup.code)
            .where(AssistTargetGroup.assist_id.in_(ids))):
        groups[assist_id].append(code)
    return {row.id: _contribution(row, groups[row.id])
            for row in connection.execute(select(*ROW_COLUMNS).where(Assist.id.in_(ids)))}


def _touched_ids(session: Session) -> set[int]:
    """Return the ids of the persistent assists this flush is about to change (and note the
    sites the changed assists are at)."""
    ids, sites = set(), session.info.setdefault(SITES_KEY, set())
    for obj in (*session.dirty, *session.deleted, *session.new):
        if isinstance(obj, Assist):
            sites.add(obj.site_id)
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(obj, AssistTargetGroup) and obj.assist_id is not None:
            ids.add(obj.assist_id)
    return ids


@event.listens_for(Session, "before_flush")
def _remember_start(session: Session, _context, _instances) -> None:
    """Read, once per transaction, what the assists this flush changes added before it."""
    base = session.info.setdefault(BASE_KEY, {})
    unseen = _touched_ids(session) - base.keys()
    if unseen:
        base.update({i: None for i in unseen})
        base.update(_read(session.connection(), unseen))


@event.listens_for(Session, "after_flush")
def _remember_new(session: Session, _context) -> None:
    """New assists added nothing before this transaction."""
    base = session.info.setdefault(BASE_KEY, {})
    new = session.info.setdefault(NEW_KEY, {})
    for obj in session.new:
        if isinstance(obj, Assist) and obj.id not in base:
            base[obj.id] = None
            new[obj.id] = obj


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """A rolled-back transaction added nothing."""
    session.info.pop(BASE_KEY, None)
    session.info.pop(NEW_KEY, None)
    session.info.pop(SITES_KEY, None)


@event.listens_for(Session, "before_commit")
def _add_differences(session: Session) -> None:
    """Add, at commit, the difference the transaction made to its assists' summary rows."""
    session.flush()
    base = session.info.pop(BASE_KEY, None)
    new = {i: a for i, a in session.info.pop(NEW_KEY, {}).items() if inspect(a).persistent}
    if not base:
        return
    connection = session.connection()
    before = {i: c for i, c in base.items() if c is not None}
    sites = (session.info.pop(SITES_KEY, set()) | {c["site"] for c in before.values()}) - {None}
    unlocked = sites - bumped_sites(session)  # the live version's increment locked the others
    if connection.dialect.name == "postgresql" and unlocked:  # SQLite's writers take turns
        # Lock first: the end state and the visits are read after a concurrent commit there.
        connection.execute(select(Site.id).where(Site.id.in_(sorted(unlocked))).order_by(Site.id)
                           .with_for_update(key_share=True))
    after = {i: c for i, c in (*_held(new).items(), *_read(connection, set(base) - set(new)).items())
             if c is not None}
    deltas = {ReportHalf: defaultdict(lambda: [0, 0]), ReportMonth: defaultdict(lambda: [0, 0])}
    for sign, contributions in ((-1, before), (1, after)):
        for c in contributions.values():
            for table, span in ((ReportHalf, half_bounds(c["day"])[0]),
                                (ReportMonth, month_bounds(c["day"])[0])):
                for (dim, code, number), (assists, amount) in c["keys"].items():
                    cell = deltas[table][(span, c["site"], dim, code, number)]
                    cell[0] += sign * assists
                    cell[1] += sign * amount
    _add_visits(connection, set(base), before, after, deltas)
    for table, cells in deltas.items():
        _upsert(connection, table, cells)


def _add_visits(connection, touched: set[int], before: dict, after: dict, deltas: dict) -> None:
    """Count each visit once per span in "all": its assists and whether it is in the span."""
    spans = ((ReportHalf, half_bounds), (ReportMonth, month_bounds))
    present = {True: defaultdict(set), False: defaultdict(set)}  # after? -> table -> keys
    for is_after, contributions in ((False, before), (True, after)):
        for c in contributions.values():
            for table, bounds in spans:
                span = bounds(c["day"])[0]
                present[is_after][table].add((span, c["site"], c["visit"]))
                cell = deltas[table][(span, c["site"], "all", "", 0)]
                cell[0] += 1 if is_after else -1
    visits = {(s, v) for side in present.values() for keys in side.values() for _span, s, v in keys}
    if not visits:
        return
    days = [c["day"] for c in (*before.values(), *after.values())]
    first, last = month_bounds(min(days))[0], month_bounds(max(days))[1]
    others = set()  # (table, span, site, visit) held by live assists this transaction left alone
    for site_id, visit_key, day in connection.execute(
            select(Assist.site_id, Assist.visit_key, Assist.local_day).distinct().where(
                Assist.site_id.in_({s for s, _v in visits}),
                Assist.visit_key.in_({v for _s, v in visits}),
                Assist.local_day >= first, Assist.local_day <= last,
                Assist.deleted_at.is_(None), Assist.id.not_in(touched))):
        for table, bounds in spans:
            others.add((table, bounds(day)[0], site_id, visit_key))
    for table, _bounds in spans:
        for key in present[False][table] | present[True][table]:
            span, site_id, visit_key = key
            held = (table, span, site_id, visit_key) in others
            was, now = held or key in present[False][table], held or key in present[True][table]
            deltas[table][(span, site_id, "all", "", 0)][1] += int(now) - int(was)


@functools.cache
def _adding(dialect: str, table):
    """Return the statement adding rows' counts to a table's rows (built once: it is the
    same for every write)."""
    span_column = ReportHalf.half if table is ReportHalf else ReportMonth.month
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=[span_column.key, "site_id", "dim", "code", "number"],
        set_={"assists": table.assists + stmt.excluded.assists,
              "amount": table.amount + stmt.excluded.amount})


def _upsert(connection, table, cells: dict) -> None:
    """Add the non-zero differences to the table's rows, then drop the rows left at zero."""
    span_column = ReportHalf.half if table is ReportHalf else ReportMonth.month
    rows = [{span_column.key: span, "site_id": site, "dim": dim, "code": code, "number": number,
             "assists": assists, "amount": amount}
            for (span, site, dim, code, number), (assists, amount) in cells.items()
            if assists or amount]
    if not rows:
        return
    connection.execute(_adding(connection.dialect.name, table), rows)
    if any(row["assists"] < 0 for row in rows):
        keys = {(row[span_column.key], row["site_id"]) for row in rows}
        connection.execute(delete(table).where(
            table.assists == 0,
            *[] if not keys else [and_(span_column.in_({k[0] for k in keys}),
                                       table.site_id.in_({k[1] for k in keys}))]))
