"""The queue's tables: sites, desks, services, tickets and their numbering."""
from datetime import date, datetime

from sqlalchemy import (
    Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.dbtypes import UTCDateTime, utc_now
from kiosk.extensions import db

TICKET_STATUSES = ("waiting", "called", "serving", "done", "no_show", "transferred", "cancelled")
OPEN_STATUSES = ("waiting", "called", "serving")
PRIORITY_POLICIES = ("strict", "interleave")

desk_service = Table(
    "desk_service",
    db.metadata,
    Column("desk_id", ForeignKey("desk.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
)


class Site(db.Model):
    """A commune or ward one-stop service centre."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    # {"0": [["07:30", "11:30"], ["13:30", "17:00"]], ...}: weekday (Mon=0) -> local intervals.
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    priority_policy: Mapped[str] = mapped_column(String(16), default="strict")
    interleave_n: Mapped[int] = mapped_column(Integer, default=3)
    noshow_after_recalls: Mapped[int] = mapped_column(Integer, default=2)
    console_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)
    ticker: Mapped[str] = mapped_column(Text, default="")
    # Per site: each centre's administrator answers for its own contacts and its own reports.
    contact_retention_days: Mapped[int] = mapped_column(Integer, default=90)
    report_period_basis: Mapped[str] = mapped_column(String(16), default="calendar")  # or "cutoff"
    # The rating device's scale: 3, 4 or 5 levels (reference.RATING_SCALES).
    rating_scale: Mapped[int] = mapped_column(Integer, default=3)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # One more at every commit that changes what the live screens show (kiosk/queue/live.py).
    live_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    desks: Mapped[list["Desk"]] = relationship(back_populates="site", order_by="Desk.number")
    services: Mapped[list["Service"]] = relationship(
        back_populates="site", order_by="Service.sort_order"
    )


class Service(db.Model):
    """A help category that citizens pick and helpers log (PRODUCT.md §4)."""

    __table_args__ = (
        UniqueConstraint("site_id", "code"),
        UniqueConstraint("site_id", "prefix"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(1))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    icon: Mapped[str] = mapped_column(String(32), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    daily_cap: Mapped[int | None] = mapped_column(Integer)

    site: Mapped[Site] = relationship(back_populates="services")


class Desk(db.Model):
    """A service desk (quầy) at a site, serving a set of services."""

    __table_args__ = (UniqueConstraint("site_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Counts consecutive normal calls, for the "interleave N normal : 1 priority" policy.
    normal_streak: Mapped[int] = mapped_column(Integer, default=0)

    site: Mapped[Site] = relationship(back_populates="desks")
    services: Mapped[list[Service]] = relationship(secondary=desk_service, order_by=Service.sort_order)


class TicketCounter(db.Model):
    """The last number given per site, service and local day: incremented atomically."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(db.Model):
    """A queue number taken at a kiosk, with the timestamps of each state."""

    __table_args__ = (
        # The number belongs to the service it was issued for; a transfer changes service_id only.
        UniqueConstraint("site_id", "issued_service_id", "day", "number"),
        Index("ix_ticket_queue", "site_id", "day", "status", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(8))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The level the citizen tapped (1 = least satisfied) on the scale they were shown.
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_scale: Mapped[int | None] = mapped_column(Integer)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    service: Mapped[Service] = relationship(foreign_keys=[service_id])
    desk: Mapped[Desk | None] = relationship()


class TicketEvent(db.Model):
    """One step in a ticket's life (issued, called, recalled, …): feeds the display's announcements."""

    __table_args__ = (Index("ix_ticket_event_site_id_id", "site_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    ticket: Mapped[Ticket] = relationship()
    desk: Mapped[Desk | None] = relationship()


class Contact(db.Model):
    """Contact details a citizen consented to give for a follow-up; kept apart from assists."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class PublicHoliday(db.Model):
    """A day the centre is closed for a public holiday (lunar ones move, so the admin lists them)."""

    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
