"""The audit log: who did what, when (exports, deletions, admin changes)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.dbtypes import UTCDateTime, utc_now
from kiosk.extensions import db


class AuditEvent(db.Model):
    """One audited action."""

    __table_args__ = (Index("ix_audit_event_site_id_at", "site_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
