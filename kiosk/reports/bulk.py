"""`flask seed-bulk`: a large, realistic, reproducible assist log for benchmarks and demos."""
import random
from datetime import UTC, date, datetime, time, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, insert

from kiosk import reference
from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.auth.models import User
from kiosk.extensions import allow_long_statements, db
from kiosk.reports.summary import rebuild
from kiosk.queue.models import Service, Site, Ticket, TicketCounter
from kiosk.timeutil import LOCAL_TZ

BATCH = 10_000
HELPERS_PER_SITE = (("officer", 2), ("volunteer", 4))
# Weights make the data look like a centre's: mostly e-ID and online dossiers, mostly at the desk.
CATEGORY_WEIGHTS = (30, 10, 18, 8, 8, 7, 9, 3, 3, 3, 1)
OUTCOME_WEIGHTS = {"done": 82, "partial": 8, "referred": 4, "failed": 6}
CHANNEL_WEIGHTS = {"desk": 85, "mobile": 8, "home": 3, "phone": 4}
HOUR_WEIGHTS = {7: 6, 8: 14, 9: 16, 10: 15, 11: 8, 13: 9, 14: 13, 15: 11, 16: 7, 17: 1}
# One assist in eight carries a helper's note; most real notes hold a comma, some quotes.
NOTES = ("Đã kích hoạt VNeID mức 2", "Hướng dẫn nộp hồ sơ, hẹn bổ sung giấy tờ",
         "Không nhận được OTP, đã gọi tổng đài", 'Cài ứng dụng "Bình dân học vụ số"',
         "Con cháu đi cùng, cần hướng dẫn lại lần sau", "-")
PLACES = ("Nhà văn hóa tổ dân phố 3", "Tại nhà, ngõ 12", "Chợ phường")
NO_SHOW_SHARE = 0.08  # after a queued assist, the chance that the next number called had left


def _bulk_sites(count: int) -> list[Site]:
    """Return sites B001…, creating the missing ones (bare: _bulk_service gives them one service)."""
    codes = [f"B{n:03d}" for n in range(1, count + 1)]
    known = {s.code: s for s in db.session.execute(
        db.select(Site).where(Site.code.in_(codes))).scalars()}
    for code in codes:
        if code not in known:
            known[code] = Site(code=code, name=f"Điểm hỗ trợ số {code}")
            db.session.add(known[code])
    db.session.flush()
    return [known[c] for c in codes]


def _bulk_helpers(site: Site) -> list[tuple[int, str]]:
    """Return (user id, role) of the site's helpers, creating them with unusable passwords."""
    users = []
    for role, count in HELPERS_PER_SITE:
        for n in range(1, count + 1):
            name = f"{site.code.lower()}-{role}-{n}"
            user = db.session.execute(db.select(User).where(User.username == name)).scalar_one_or_none()
            if user is None:
                user = User(username=name, role=role, site_id=site.id, password_hash="!",
                            full_name=f"Người hỗ trợ {n} ({site.code})")
                db.session.add(user)
                db.session.flush()
            users.append((user.id, role))
    return users


def _bulk_service(site: Site) -> int:
    """Return the id of the site's first service, adding a general one to a bare bulk site."""
    service = db.session.execute(db.select(Service).where(Service.site_id == site.id)
                                 .order_by(Service.sort_order, Service.id)).scalars().first()
    if service is None:
        service = Service(site_id=site.id, code="general", prefix="A", name_vi="Hỗ trợ chung",
                          name_en="General help")
        db.session.add(service)
        db.session.flush()
    return service.id


def _tickets(rng: random.Random, assist: dict, service_id: int, numbers: dict) -> list[dict]:
    """Return the ticket behind a queued assist (done), sometimes followed by a no-show."""
    if assist["issued_at"] is None:
        return []
    key = (assist["site_id"], assist["local_day"])
    made = [{"status": "done", "issued_at": assist["issued_at"], "called_at": assist["called_at"],
             "started_at": assist["started_at"], "ended_at": assist["ended_at"]}]
    if rng.random() < NO_SHOW_SHARE:
        made.append({"status": "no_show", "issued_at": assist["issued_at"],
                     "called_at": assist["ended_at"], "started_at": None, "ended_at": None})
    for ticket in made:
        numbers[key] = number = numbers.get(key, 0) + 1
        ticket.update(site_id=assist["site_id"], service_id=service_id,
                      issued_service_id=service_id, day=assist["local_day"], number=number,
                      label=f"A{number:03d}", priority=False, recall_count=0,
                      token=f"bulk-{assist['site_id']}-{assist['local_day']:%Y%m%d}-{number}")
    return made


def _assist(rng: random.Random, ident: int, site_id: int, day: date, helpers, visit: str) -> dict:
    """Return one assist row as a dict, its times in a plausible local working hour."""
    hour = rng.choices(tuple(HOUR_WEIGHTS), tuple(HOUR_WEIGHTS.values()))[0]
    ended = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)),
                             LOCAL_TZ).astimezone(UTC)
    service = rng.randint(120, 1500)
    channel = rng.choices(tuple(CHANNEL_WEIGHTS), tuple(CHANNEL_WEIGHTS.values()))[0]
    outcome = rng.choices(tuple(OUTCOME_WEIGHTS), tuple(OUTCOME_WEIGHTS.values()))[0]
    helper_id, role = rng.choice(helpers)
    queued = channel == "desk" and rng.random() < 0.7
    wait = rng.randint(30, 1800) if queued else None
    started = ended - timedelta(seconds=service)
    return {
        "id": ident, "site_id": site_id, "visit_key": visit, "helper_id": helper_id,
        "helper_role": role, "channel": channel,
        "category": rng.choices(reference.SERVICES, CATEGORY_WEIGHTS)[0][0],
        "outcome": outcome,
        "failure_reason": rng.choice(tuple(reference.FAILURE_REASONS)) if outcome == "failed"
        else None,
        "age_band": rng.choice((None, *reference.AGE_BANDS)),
        "gender": rng.choice((None, "male", "female")),
        "vneid_activated": int(rng.random() < 0.2), "dossiers_submitted": int(rng.random() < 0.2),
        "payments_made": int(rng.random() < 0.08), "apps_installed": int(rng.random() < 0.1),
        "platform_code": rng.choice(reference.PLATFORMS)[0] if rng.random() < 0.05 else None,
        "note": rng.choice(NOTES) if rng.random() < 0.125 else "",
        "place": rng.choice(PLACES) if channel in ("home", "mobile") else "",
        "satisfaction": rng.choice((5, 5, 5, 4, 4, 3, 2, 1)) if rng.random() < 0.3 else None,
        "issued_at": started - timedelta(seconds=wait + 20) if queued else None,
        "called_at": started - timedelta(seconds=20) if queued else None,
        "started_at": started, "ended_at": ended, "wait_seconds": wait,
        "service_seconds": service, "local_day": day, "entered_at": ended,
        "backdated": False,
    }


def seed_bulk(sites: int, days: int, per_day: int, seed: int, end: date,
              site_code: str | None = None) -> int:
    """Add sites × days × per_day assists ending on `end`, with the tickets of the queued ones
    (and some no-shows); flush in batches; return the count of assists."""
    allow_long_statements(db.session.connection())
    rng = random.Random(seed)
    chosen = _bulk_sites(sites) if site_code is None else [db.session.execute(
        db.select(Site).where(Site.code == site_code)).scalar_one()]
    next_id = (db.session.execute(db.select(func.max(Assist.id))).scalar() or 0) + 1
    first, site_ids = end - timedelta(days=days - 1), [s.id for s in chosen]
    rows, groups, tickets, made = [], [], [], 0
    helpers = {site.id: _bulk_helpers(site) for site in chosen}
    services = {site.id: _bulk_service(site) for site in chosen}
    # Ticket numbers go on after any the days already hold (a demo site's real tickets).
    numbers = {(site, day): top for site, day, top in db.session.execute(
        db.select(Ticket.site_id, Ticket.day, func.max(Ticket.number))
        .where(Ticket.site_id.in_(site_ids), Ticket.day >= first, Ticket.day <= end)
        .group_by(Ticket.site_id, Ticket.day))}
    for offset in range(days):  # day by day, as a real log grows
        day = end - timedelta(days=days - 1 - offset)
        for site in chosen:
            visit = ""
            for n in range(per_day):
                if not visit or rng.random() > 0.25:  # a quarter of visits need a second assist
                    visit = f"{site.code}-{day:%Y%m%d}-{n}"
                rows.append(_assist(rng, next_id, site.id, day, helpers[site.id], visit))
                tickets += _tickets(rng, rows[-1], services[site.id], numbers)
                if rng.random() < 0.35:
                    groups.append({"assist_id": next_id, "code": rng.choice(
                        tuple(reference.TARGET_GROUPS))})
                next_id += 1
                if len(rows) == BATCH:
                    made += _flush(rows, groups, tickets)
    made += _flush(rows, groups, tickets)
    _advance_counters(services, numbers, first, end)
    # Core inserts skip the ORM's flush hooks: recompute the summaries and the export's lines.
    rebuild(db.session.connection(), first, end, site_ids)
    if db.session.get_bind().dialect.name == "postgresql":
        # The ids were given explicitly: move the sequence past them for later inserts.
        db.session.execute(db.text(
            "SELECT setval(pg_get_serial_sequence('assist', 'id'), (SELECT max(id) FROM assist))"))
    return made


def _advance_counters(services: dict, numbers: dict, first: date, end: date) -> None:
    """Move each seeded day's ticket counter past the numbers given, so that a kiosk issuing
    on such a day (today, on a demo site) goes on from there instead of colliding."""
    by_site = {}
    for (site_id, day), top in numbers.items():
        if first <= day <= end:
            by_site.setdefault(site_id, {})[day] = top
    for site_id, days in by_site.items():
        service_id = services[site_id]
        db.session.execute(db.delete(TicketCounter).where(
            TicketCounter.site_id == site_id, TicketCounter.service_id == service_id,
            TicketCounter.day.in_(list(days))))
        db.session.execute(insert(TicketCounter), [
            {"site_id": site_id, "service_id": service_id, "day": day, "last_number": top}
            for day, top in days.items()])


def _flush(rows: list, groups: list, tickets: list) -> int:
    """Insert the pending rows in one executemany per table, empty the lists, count the assists."""
    count = len(rows)
    for table, pending in ((Assist, rows), (AssistTargetGroup, groups), (Ticket, tickets)):
        if pending:
            db.session.execute(insert(table), pending)
        pending.clear()
    return count


@click.command("seed-bulk")
@click.option("--sites", default=10, show_default=True, help="number of sites B001…")
@click.option("--days", default=30, show_default=True, help="days of data, ending on --end")
@click.option("--assists-per-day", "per_day", default=40, show_default=True,
              help="assists per site per day")
@click.option("--seed", default=2026, show_default=True, help="random seed (same seed, same data)")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default="2026-12-31", show_default=True,
              help="last local day of the data")
@click.option("--site", "site_code", default=None,
              help="fill this existing site (e.g. DEMO) instead of creating sites B001…")
@with_appcontext
def seed_bulk_command(sites, days, per_day, seed, end, site_code):
    """Fill a large, reproducible assist log (seeded random) for benchmarks."""
    if site_code and db.session.execute(
            db.select(Site.id).where(Site.code == site_code)).first() is None:
        raise click.ClickException(f"no site with code {site_code!r}")
    made = seed_bulk(sites, days, per_day, seed, end.date(), site_code)
    db.session.commit()
    click.echo(f"Added {made} assists across {1 if site_code else sites} sites over {days} days.")
