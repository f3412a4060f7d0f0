"""Time helpers: everything is stored in UTC; days and reports are Asia/Ho_Chi_Minh."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return value as aware UTC (SQLite hands back naive datetimes that are UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """Return a stored UTC datetime in local (Asia/Ho_Chi_Minh) time."""
    return as_utc(value).astimezone(LOCAL_TZ)


def local_today(now: datetime | None = None) -> date:
    """Return today's date in Asia/Ho_Chi_Minh."""
    return to_local(now or utcnow()).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the UTC instants [start, end) of a local calendar day."""
    start = datetime.combine(day, time(0, 0), LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


def local_range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Return the UTC instants [start, end) covering local days first..last inclusive."""
    return local_day_bounds(first)[0], local_day_bounds(last)[1]


FIRST_DAY = date(2000, 1, 1)  # every day the app accepts lies in 2000..2100: beyond it a day's
LAST_DAY = date(2100, 12, 31)  # UTC bounds overflow datetime, and no report needs it


def parse_day(raw: str) -> date:
    """Parse a YYYY-MM-DD day within FIRST_DAY..LAST_DAY; raise ValueError otherwise."""
    day = date.fromisoformat(raw.strip())
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"day must lie between {FIRST_DAY} and {LAST_DAY}")
    return day
