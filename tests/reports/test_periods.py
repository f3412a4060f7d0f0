"""Reporting periods: calendar and state cut-off, year-to-date, bad input."""
from datetime import date

import pytest

from kiosk.reports.periods import Period, PeriodError, build_period


@pytest.mark.parametrize("kind,index,first,last", [
    ("month", 2, date(2026, 2, 1), date(2026, 2, 28)),
    ("month", 12, date(2026, 12, 1), date(2026, 12, 31)),
    ("quarter", 2, date(2026, 4, 1), date(2026, 6, 30)),
    ("half", 2, date(2026, 7, 1), date(2026, 12, 31)),
    ("year", 1, date(2026, 1, 1), date(2026, 12, 31)),
])
def test_calendar_periods(kind, index, first, last):
    period = build_period(kind, 2026, index)
    assert (period.first, period.last) == (first, last)


@pytest.mark.parametrize("kind,index,first,last", [
    ("month", 5, date(2026, 4, 15), date(2026, 5, 14)),
    ("month", 1, date(2025, 12, 15), date(2026, 1, 14)),
    ("quarter", 2, date(2026, 3, 15), date(2026, 6, 14)),
    ("half", 1, date(2025, 12, 15), date(2026, 6, 14)),
    ("year", 1, date(2025, 12, 15), date(2026, 12, 14)),
])
def test_cutoff_periods(kind, index, first, last):
    period = build_period(kind, 2026, index, basis="cutoff")
    assert (period.first, period.last) == (first, last)


def test_year_to_date():
    assert build_period("ytd", 2026, today=date(2026, 5, 20)) == Period(
        date(2026, 1, 1), date(2026, 5, 20), "ytd", "calendar")
    assert build_period("ytd", 2025, today=date(2026, 5, 20)).last == date(2025, 12, 31)
    cut = build_period("ytd", 2026, basis="cutoff", today=date(2026, 5, 20))
    assert (cut.first, cut.last) == (date(2025, 12, 15), date(2026, 5, 20))
    assert build_period("month", 2026, 5).year_to_date().first == date(2026, 1, 1)
    assert build_period("month", 2026, 5, "cutoff").year_to_date().first == date(2025, 12, 15)


def test_custom_and_errors():
    assert build_period("custom", 0, first=date(2026, 5, 3), last=date(2026, 5, 3)).days == 1
    with pytest.raises(PeriodError) as err:
        build_period("custom", 0, first=date(2026, 5, 4), last=date(2026, 5, 3))
    assert err.value.field == "last"
    for kwargs, field in (({"kind": "month", "year": 1999}, "year"),
                          ({"kind": "month", "year": 2026, "index": 13}, "index"),
                          ({"kind": "week", "year": 2026}, "kind"),
                          ({"kind": "month", "year": 2026, "basis": "fiscal"}, "basis")):
        with pytest.raises(PeriodError) as err:
            build_period(**kwargs)
        assert err.value.field == field
