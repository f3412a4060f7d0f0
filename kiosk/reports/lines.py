"""Keep the CSV export's lines (ExportLine) equal to the assist log.

Formatting 1.5 million rows at download time is bound by the database driver and the csv
module (~70,000 rows/s on SQLite, BENCHMARKS.md); reading ready lines runs at over a million.
So each live assist's line is rendered by csv_lines when the assist is written: every flush
that touches an assist (or its target groups) re-renders that assist's line in the same
transaction, a site whose code changes gets all its lines re-rendered, and Core bulk inserts
(seed-bulk, migrations) call `rebuild_lines`. A soft-deleted assist has no line.
"""
from datetime import date

from sqlalchemy import delete, event, insert
from sqlalchemy.orm import Session, attributes

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.queue.models import Site
from kiosk.reports.exports import csv_lines, row_batches
from kiosk.reports.models import ExportLine
from kiosk.reports.summary import live


def _render(connection, where: list) -> int:
    """Insert the lines of the live assists matching `where`; return how many."""
    made = 0
    for rows in row_batches([*where, Assist.deleted_at.is_(None)], Assist.site_id,
                            Assist.local_day, connection=connection):
        lines = csv_lines(row[2:] for row in rows)
        connection.execute(insert(ExportLine), [
            {"assist_id": row[2], "site_id": row[0], "local_day": row[1], "line": line}
            for row, line in zip(rows, lines)])
        made += len(rows)
    return made


def rebuild_lines(connection, first: date, last: date, site_ids=None) -> int:
    """Re-render the lines of some sites' (None: all) assists of local days first..last."""
    gone = [ExportLine.local_day >= first, ExportLine.local_day <= last]
    if site_ids is not None:
        gone.append(ExportLine.site_id.in_(site_ids))
    connection.execute(delete(ExportLine).where(*gone))
    return _render(connection, live(first, last, site_ids))


def _refresh_assists(connection, ids: set[int]) -> None:
    """Re-render the lines of these assists (a deleted one loses its line)."""
    connection.execute(delete(ExportLine).where(ExportLine.assist_id.in_(ids)))
    _render(connection, [Assist.id.in_(ids)])


def _refresh_sites(connection, site_ids: set[int]) -> None:
    """Re-render every line of these sites (their code is in each line)."""
    connection.execute(delete(ExportLine).where(ExportLine.site_id.in_(site_ids)))
    _render(connection, [Assist.site_id.in_(site_ids)])


@event.listens_for(Session, "after_flush")
def _refresh_lines(session: Session, _context) -> None:
    """Re-render the lines of the assists and sites this flush wrote, in its transaction."""
    assists, sites = set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Assist) and obj.id is not None:
            assists.add(obj.id)
        elif isinstance(obj, AssistTargetGroup) and obj.assist_id is not None:
            assists.add(obj.assist_id)
        elif isinstance(obj, Site) and attributes.get_history(obj, "code").deleted:
            sites.add(obj.id)
    if sites:
        _refresh_sites(session.connection(), sites)
    if assists:
        _refresh_assists(session.connection(), assists)
