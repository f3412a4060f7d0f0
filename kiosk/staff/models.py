"""The duty rota."""
from datetime import date, time

from sqlalchemy import Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import db


class DutyShift(db.Model):
    """A helper on duty at a site on a weekday (Mon=0 … Sat=5), between two local times."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(120), default="")

    user = relationship("User")


class PublicHoliday(db.Model):
    """A day the centre is closed for a public holiday (lunar ones move, so the admin lists them)."""

    __table_args__ = (UniqueConstraint("site_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
