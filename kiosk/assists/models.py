"""The assist log: one row per act of help, the unit of the monthly count."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.dbtypes import UTCDateTime, utc_now
from kiosk.extensions import db


def _legacy_scale(context) -> int | None:
    """Read a satisfaction written without its scale as a 1–5 score (its meaning before 0007)."""
    return 5 if context.get_current_parameters().get("satisfaction") is not None else None


class Assist(db.Model):
    """One logged act of help (PRODUCT.md §5). Holds no personal data."""

    __table_args__ = (
        Index("ix_assist_site_day", "site_id", "local_day"),
        Index("ix_assist_day", "local_day"),
        Index("ix_assist_helper_day", "helper_id", "local_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    # One citizen's visit: several assists of one visit count one citizen helped.
    visit_key: Mapped[str] = mapped_column(String(40))
    # The rows of one tally (N identical assists logged at once) share it: one entry to correct.
    tally_id: Mapped[str | None] = mapped_column(String(32), index=True)
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    helper_role: Mapped[str] = mapped_column(String(16), default="")
    channel: Mapped[str] = mapped_column(String(16), default="desk")
    place: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16), default="done")
    failure_reason: Mapped[str | None] = mapped_column(String(32))
    age_band: Mapped[str | None] = mapped_column(String(8))
    gender: Mapped[str | None] = mapped_column(String(16))
    vneid_activated: Mapped[int] = mapped_column(Integer, default=0)
    dossiers_submitted: Mapped[int] = mapped_column(Integer, default=0)
    payments_made: Mapped[int] = mapped_column(Integer, default=0)
    apps_installed: Mapped[int] = mapped_column(Integer, default=0)
    platform_code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    # The ticket's rating: its level (1 = least satisfied) and the scale it was given on.
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    satisfaction_scale: Mapped[int | None] = mapped_column(Integer, default=_legacy_scale)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    service_seconds: Mapped[int | None] = mapped_column(Integer)
    # The local (Asia/Ho_Chi_Minh) day of ended_at: reports group by it.
    local_day: Mapped[date] = mapped_column(Date)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    backdated: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    target_groups: Mapped[list["AssistTargetGroup"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    helper = relationship("User", foreign_keys=[helper_id])

    @property
    def target_group_codes(self) -> list[str]:
        return sorted(t.code for t in self.target_groups)


class AssistTargetGroup(db.Model):
    """One target group ticked on an assist (multi-select)."""

    assist_id: Mapped[int] = mapped_column(
        ForeignKey("assist.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
