"""Opening hours of a site, in local time."""
import json
from datetime import datetime, time

from kiosk.timeutil import to_local, utcnow


def parse_hours(text: str) -> dict[int, list[tuple[time, time]]]:
    """Parse a site's opening hours ({"0": [["07:30", "11:30"]], …}); empty means always open."""
    if not text or not text.strip():
        return {}
    raw = json.loads(text)
    out: dict[int, list[tuple[time, time]]] = {}
    for weekday, spans in raw.items():
        out[int(weekday)] = [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in spans]
    return out


def is_open(opening_hours: str, now: datetime | None = None) -> bool:
    """Tell whether a site is open at `now` (local time); no hours at all means always open."""
    if not opening_hours or not opening_hours.strip():
        return True
    hours = parse_hours(opening_hours)  # "{}": hours were set, every day left empty: closed
    local = to_local(now or utcnow())
    return any(a <= local.time() < b for a, b in hours.get(local.weekday(), []))
