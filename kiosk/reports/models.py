"""The reports' monthly summary of the assist log, and the indexes behind exact percentiles."""
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.assists.models import Assist
from kiosk.extensions import db


class ReportMonth(db.Model):
    """Counts of one site's live assists in one calendar month, per dimension and code.

    Rebuilt from the log for every (site, month) an assist write touches (kiosk/reports/summary.py),
    so it always equals a from-scratch aggregation. `dim` names the breakdown; `code` and
    `number` are its key (text codes, or a number: helper id, weekday×100+hour, minute bucket);
    `assists` counts rows and `amount` sums a quantity (visits, seconds, a counter).
    """

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    assists: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)


# The 90th percentiles are read from the log (exact to the second): these partial, covering
# indexes let SQLite and PostgreSQL seek one minute's values in order instead of sorting a year.
Index("ix_assist_wait_live", Assist.wait_seconds, Assist.local_day, Assist.site_id,
      sqlite_where=Assist.deleted_at.is_(None), postgresql_where=Assist.deleted_at.is_(None))
Index("ix_assist_service_live", Assist.service_seconds, Assist.local_day, Assist.site_id,
      sqlite_where=Assist.deleted_at.is_(None), postgresql_where=Assist.deleted_at.is_(None))
