"""Application-wide settings kept in the database (retention, …)."""
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import db

SETTING_DEFAULTS = {
    "contact_retention_days": "90",
    "report_period_basis": "calendar",  # or "cutoff": the 15th of the previous period to the 14th
}


class Setting(db.Model):
    """A named setting; every process reads the same value from the database."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
