"""Reporting periods: calendar months, quarters, halves, years, year-to-date, custom ranges.

A period is a pair of local (Asia/Ho_Chi_Minh) days, first..last inclusive. With the state
reporting cut-off, a period runs from the 15th of the month before it starts to the 14th of
its last month (PRODUCT.md §6): Q2 is 15/03–14/06, the year 15/12 of the year before–14/12.
"""
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter", "half", "year", "ytd", "custom")
BASES = ("calendar", "cutoff")
CUTOFF_DAY = 15


class PeriodError(ValueError):
    """A period that cannot be built; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    """Local days first..last inclusive, with what it was built from."""

    first: date
    last: date
    kind: str = "custom"
    basis: str = "calendar"

    @property
    def days(self) -> int:
        """Return the number of days in the period."""
        return (self.last - self.first).days + 1

    def year_to_date(self) -> "Period":
        """Return the period from the start of this period's reporting year to its last day."""
        start = date(self.last.year, 1, 1)
        if self.basis == "cutoff":
            start = _cutoff_start(self.last.year, 1)
            if self.last >= date(self.last.year, 12, CUTOFF_DAY):
                start = date(self.last.year, 12, CUTOFF_DAY)  # the next reporting year began
        return Period(start, self.last, "ytd", self.basis)


def _month_end(year: int, month: int) -> date:
    """Return the last day of a month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _cutoff_start(year: int, month: int) -> date:
    """Return the 15th of the month before (year, month)."""
    return date(year - 1, 12, CUTOFF_DAY) if month == 1 else date(year, month - 1, CUTOFF_DAY)


def calendar_months(kind: str, index: int) -> tuple[int, int]:
    """Return the first and last month numbers of the index-th month/quarter/half/year."""
    size = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    limit = 12 // size
    if not 1 <= index <= limit:
        raise PeriodError("index", "out of range")
    first = (index - 1) * size + 1
    return first, first + size - 1


def build_period(kind: str, year: int, index: int = 1, basis: str = "calendar",
                 first: date | None = None, last: date | None = None,
                 today: date | None = None) -> Period:
    """Build a period of the given kind; raise PeriodError naming the bad field."""
    if basis not in BASES:
        raise PeriodError("basis", "unknown basis")
    if kind not in KINDS:
        raise PeriodError("kind", "unknown kind")
    if kind == "custom":
        if first is None:
            raise PeriodError("first", "missing")
        if last is None:
            raise PeriodError("last", "missing")
        if first > last:
            raise PeriodError("last", "before first")
        return Period(first, last, "custom", "calendar")
    if not 2000 <= year <= 2100:
        raise PeriodError("year", "out of range")
    if kind == "ytd":
        end = min(today or date(year, 12, 31), date(year, 12, 31))
        if end.year != year:
            end = date(year, 12, 31)
        return Period(end, end, "ytd", basis).year_to_date()
    start_month, end_month = calendar_months(kind, 1 if kind == "year" else index)
    if basis == "cutoff":
        return Period(_cutoff_start(year, start_month), date(year, end_month, CUTOFF_DAY - 1),
                      kind, basis)
    return Period(date(year, start_month, 1), _month_end(year, end_month), kind, basis)
