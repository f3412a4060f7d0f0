"""The duty rota."""
from datetime import time

from sqlalchemy import ForeignKey, Integer, String, Time
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

