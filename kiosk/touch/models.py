"""Registered kiosk devices: only these may issue tickets."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.dbtypes import UTCDateTime, utc_now
from kiosk.extensions import db


class KioskDevice(db.Model):
    """A touchscreen kiosk, known by a token (device) or a paired browser cookie."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pairing_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paper_width_mm: Mapped[int] = mapped_column(Integer, default=80)
    printer_host: Mapped[str] = mapped_column(String(100), default="")
    printer_port: Mapped[int] = mapped_column(Integer, default=9100)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    site = relationship("Site")
