"""SQL expressions that differ between SQLite and PostgreSQL, compiled per dialect.

Asia/Ho_Chi_Minh has kept UTC+07:00 without daylight saving since 1975, so SQLite (which
knows no time zones) can shift stored UTC times by a fixed seven hours and agree with
PostgreSQL's AT TIME ZONE for every date the application can hold.
"""
from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class local_hour(FunctionElement):
    """The local hour (0–23) of a stored UTC timestamp."""

    type = Integer()
    inherit_cache = True
    name = "local_hour"


class weekday(FunctionElement):
    """The ISO weekday of a date, Monday=0 … Sunday=6."""

    type = Integer()
    inherit_cache = True
    name = "weekday"


class local_iso(FunctionElement):
    """A stored UTC timestamp as local ISO 8601 text with its offset, e.g. 2026-05-31T23:30:00+07:00."""

    type = String()
    inherit_cache = True
    name = "local_iso"


class iso_day(FunctionElement):
    """A date column as YYYY-MM-DD text (formatted in SQL: the CSV never parses dates)."""

    type = String()
    inherit_cache = True
    name = "iso_day"


@compiles(local_hour, "sqlite")
def _local_hour_sqlite(element, compiler, **kw):
    """Shift by +7 hours and take the hour."""
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(strftime('%H', {arg}, '+7 hours') AS INTEGER)"


@compiles(local_hour, "postgresql")
def _local_hour_pg(element, compiler, **kw):
    """Convert to the local zone and take the hour."""
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(HOUR FROM ({arg}) AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER)"


@compiles(weekday, "sqlite")
def _weekday_sqlite(element, compiler, **kw):
    """strftime('%w') counts from Sunday=0; shift to Monday=0."""
    arg = compiler.process(element.clauses, **kw)
    return f"((CAST(strftime('%w', {arg}) AS INTEGER) + 6) % 7)"


@compiles(weekday, "postgresql")
def _weekday_pg(element, compiler, **kw):
    """ISODOW counts from Monday=1."""
    arg = compiler.process(element.clauses, **kw)
    return f"(CAST(EXTRACT(ISODOW FROM {arg}) AS INTEGER) - 1)"


@compiles(local_iso, "sqlite")
def _local_iso_sqlite(element, compiler, **kw):
    """Format the shifted time; NULL stays NULL."""
    arg = compiler.process(element.clauses, **kw)
    return f"strftime('%Y-%m-%dT%H:%M:%S+07:00', {arg}, '+7 hours')"


@compiles(local_iso, "postgresql")
def _local_iso_pg(element, compiler, **kw):
    """Format the time shifted by the fixed +07:00 (as on SQLite: a time-zone lookup per cell
    costs a third of a city-year export); NULL stays NULL."""
    arg = compiler.process(element.clauses, **kw)
    return (f"to_char(({arg}) AT TIME ZONE 'UTC' + INTERVAL '7 hours', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"')")


@compiles(iso_day, "sqlite")
def _iso_day_sqlite(element, compiler, **kw):
    """SQLite already stores dates as YYYY-MM-DD text."""
    return compiler.process(element.clauses, **kw)


@compiles(iso_day, "postgresql")
def _iso_day_pg(element, compiler, **kw):
    """Format the date explicitly, whatever the server's DateStyle."""
    arg = compiler.process(element.clauses, **kw)
    return f"to_char({arg}, 'YYYY-MM-DD')"


class month_start(FunctionElement):
    """The first day of a date's month, as a date."""

    type = Date()
    inherit_cache = True
    name = "month_start"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    """SQLite dates are YYYY-MM-DD text: date() keeps that form."""
    arg = compiler.process(element.clauses, **kw)
    return f"date({arg}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_pg(element, compiler, **kw):
    """Truncate to the month and back to a date."""
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('month', {arg}) AS DATE)"


class half_start(FunctionElement):
    """The first day of a date's half-month: the 1st (days 1–14) or the 15th (days 15–end)."""

    type = Date()
    inherit_cache = True
    name = "half_start"


@compiles(half_start, "sqlite")
def _half_start_sqlite(element, compiler, **kw):
    """Days before the 15th start on the 1st, the others on the 15th (1st + 14 days)."""
    arg = compiler.process(element.clauses, **kw)
    return (f"CASE WHEN CAST(strftime('%d', {arg}) AS INTEGER) < 15 "
            f"THEN date({arg}, 'start of month') ELSE date({arg}, 'start of month', '+14 days') END")


@compiles(half_start, "postgresql")
def _half_start_pg(element, compiler, **kw):
    """A date plus whole days is a date in PostgreSQL."""
    arg = compiler.process(element.clauses, **kw)
    return (f"(CAST(date_trunc('month', {arg}) AS DATE) "
            f"+ CASE WHEN EXTRACT(DAY FROM {arg}) < 15 THEN 0 ELSE 14 END)")
