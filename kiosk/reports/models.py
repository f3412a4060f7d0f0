"""The reports' summaries of the assist log, and the indexes behind exact percentiles."""
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.assists.models import Assist
from kiosk.extensions import db


class SummaryRow:
    """Counts of one site's live assists over a span of days, per dimension and code.

    Rebuilt from the log for every (site, span) an assist write touches (kiosk/reports/summary.py),
    so it always equals a from-scratch aggregation. `dim` names the breakdown; `code` and
    `number` are its key (text codes, or a number: helper id, weekday×100+hour, minute bucket);
    `assists` counts rows and `amount` sums a quantity (visits, seconds, a counter). Every
    quantity adds up across spans (a visit lies in one site and one day), so a span's rows are
    the sum of its parts' rows.
    """

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    assists: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)


class ReportHalf(SummaryRow, db.Model):
    """A half-month: days 1–14 (`half` is the 1st) or the 15th to the month's end (the 15th).

    The state-reporting cut-off (15th to 14th) is made of whole halves; calendar periods of
    whole months read ReportMonth instead, which holds half as many rows.
    """

    half: Mapped[date] = mapped_column(Date, primary_key=True)


class ReportMonth(SummaryRow, db.Model):
    """A calendar month (`month` is its 1st): the sum of its two halves."""

    month: Mapped[date] = mapped_column(Date, primary_key=True)


# The 90th percentiles are read from the log (exact to the second): these partial, covering
# indexes let SQLite and PostgreSQL seek one minute's values in order instead of sorting a year.
Index("ix_assist_wait_live", Assist.wait_seconds, Assist.local_day, Assist.site_id,
      sqlite_where=Assist.deleted_at.is_(None), postgresql_where=Assist.deleted_at.is_(None))
Index("ix_assist_service_live", Assist.service_seconds, Assist.local_day, Assist.site_id,
      sqlite_where=Assist.deleted_at.is_(None), postgresql_where=Assist.deleted_at.is_(None))
