"""Changing the queue: issue, call, recall, transfer, serve, finish. Flush, never commit."""
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Date, String, and_, cast, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from kiosk.extensions import db
from kiosk.queue.hours import is_open
from kiosk.queue.live import bumped_by_statement, touch_site, version_bump
from kiosk.queue.models import (
    OPEN_STATUSES, Desk, Service, Site, Ticket, TicketCounter, TicketEvent,
)
from kiosk.queue.policy import priority_first
from kiosk.queue.queries import is_holiday
from kiosk.timeutil import local_today, utcnow

RATE_WINDOW = timedelta(minutes=1)  # a kiosk's rate limit counts its tickets of the last minute


class QueueError(Exception):
    """A queue action that cannot be done; `code` is stable, the message is for people."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


def next_number(site_id: int, service_id: int, day) -> int:
    """Increment and return the day's counter for a service in one atomic statement.

    INSERT … ON CONFLICT DO UPDATE … RETURNING takes the row's write lock, so concurrent
    kiosks in several processes get consecutive numbers; a rolled-back issue rolls the
    counter back too, so the sequence has no gaps.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(TicketCounter)
        .values(site_id=site_id, service_id=service_id, day=day, last_number=1)
        .on_conflict_do_update(
            index_elements=["site_id", "service_id", "day"],
            set_={"last_number": TicketCounter.last_number + 1},
        )
        .returning(TicketCounter.last_number)
    )
    return db.session.execute(stmt).scalar_one()


def add_event(ticket: Ticket, kind: str, desk: Desk | None = None, at: datetime | None = None):
    """Record a step in a ticket's life (the display announces calls and recalls)."""
    event = TicketEvent(site_id=ticket.site_id, ticket_id=ticket.id, kind=kind,
                        desk_id=desk.id if desk else ticket.desk_id, at=at or utcnow())
    db.session.add(event)
    return event


def check_issuable(site: Site, service: Service, now: datetime):
    """Return the local day a service takes numbers on now; raise QueueError when it does not
    (a read: the kiosk's API makes it before taking the write lock)."""
    if not site.active or not service.active or service.site_id != site.id:
        raise QueueError("unavailable", "service not available at this site")
    day = local_today(now)
    if not is_open(site.opening_hours, now) or is_holiday(site.id, day):
        raise QueueError("closed", "the centre is closed now")
    return day


def issue_ticket(site: Site, service: Service, priority: bool = False,
                 kiosk_id: int | None = None, now: datetime | None = None,
                 rate_limit: int | None = None) -> Ticket:
    """Issue the next number of a service at a site, unless closed, capped or (with a kiosk
    and a rate_limit) asked too often."""
    now = now or utcnow()
    day = check_issuable(site, service, now)
    return number_ticket(site, service, day, priority, kiosk_id=kiosk_id, now=now,
                         rate_limit=rate_limit)


def number_ticket(site: Site, service: Service, day, priority: bool = False,
                  kiosk_id: int | None = None, now: datetime | None = None,
                  rate_limit: int | None = None) -> Ticket:
    """Give a checked service's next number of the day as a new ticket, in as few statements
    as the database allows (they hold the locks that keep the numbers and the rate exact).

    QueueError "rate_limited": the kiosk already issued `rate_limit` tickets in the last
    minute; "capped": the number is past the service's daily cap (no ticket is written).
    """
    now = now or utcnow()
    session = db.session()
    fields = dict(site_id=site.id, service_id=service.id, issued_service_id=service.id, day=day,
                  priority=bool(priority), status="waiting", token=secrets.token_urlsafe(18),
                  kiosk_id=kiosk_id, issued_at=now, recall_count=0)
    limit = rate_limit if kiosk_id is not None else None
    since = now - RATE_WINDOW
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        statement = _numbering_statement(fields, service.prefix, service.daily_cap, limit, since)
        if limit is not None:
            lock_kiosk(kiosk_id)
        number, ticket_id = session.execute(statement).one()
        if number is None:
            raise QueueError("rate_limited", "too many tickets from this kiosk")
        bumped_by_statement(session, site.id)
    else:  # SQLite: its write lock already serialises the writers
        if limit is not None and recent_issue_count(kiosk_id, since) >= limit:
            raise QueueError("rate_limited", "too many tickets from this kiosk")
        number = next_number(site.id, service.id, day)
        ticket_id = None
        if service.daily_cap is None or number <= service.daily_cap:
            ticket_id = session.execute(
                insert(Ticket).values(number=number, label=ticket_label(service.prefix, number),
                                      **fields).returning(Ticket.id)).scalar_one()
    if ticket_id is None:
        raise QueueError("capped", "the service reached its daily limit")
    # The row is known whole: it joins the session as loaded, without being read back.
    ticket = Ticket(id=ticket_id, number=number, label=ticket_label(service.prefix, number),
                    desk_id=None, served_by_id=None, called_at=None, started_at=None,
                    ended_at=None, rating=None, rating_scale=None, rated_at=None, **fields)
    ticket.service = service
    make_transient_to_detached(ticket)
    session.add(ticket)
    if not postgres:  # PostgreSQL's statement added to the site's version itself
        touch_site(session, site.id)
    # No "issued" event: ticket.issued_at says it, and one insert fewer is one less step of the
    # kiosk's hottest write (the board reads calls, recalls and transfers only).
    return ticket


def ticket_label(prefix: str, number: int) -> str:
    """The number as called and printed: the service's prefix and at least three digits."""
    return f"{prefix}{number:03d}"


def lock_kiosk(kiosk_id: int) -> None:
    """Lock a kiosk's row until the transaction ends (PostgreSQL), so its requests count and
    issue in turn: a concurrent issue of the same kiosk waits here, and its next statement
    (READ COMMITTED: a fresh snapshot per statement) then sees the tickets just issued."""
    from kiosk.touch.models import KioskDevice  # here: the touch package imports this module
    db.session.execute(select(KioskDevice.id).where(KioskDevice.id == kiosk_id).with_for_update())


def recent_issue_count(kiosk_id: int, since: datetime) -> int:
    """Count the tickets a kiosk issued since a moment (for rate limiting)."""
    return db.session.execute(
        select(func.count()).select_from(Ticket)
        .where(Ticket.kiosk_id == kiosk_id, Ticket.issued_at >= since)).scalar_one()


def _numbering_statement(fields: dict, prefix: str, cap: int | None, limit: int | None, since):
    """One PostgreSQL statement for a ticket: the kiosk's count of the last minute, the day's
    counter (INSERT … ON CONFLICT DO UPDATE, its row locked to the commit), the ticket, and
    the site's live version (its UPDATE unread, so run last: the site row is still the last
    lock taken, as kiosk/queue/live.py wants).

    It answers (number, ticket id): number NULL when the rate limit refused (nothing
    counted), ticket id NULL when the number is past the cap (the counter moved, as the
    separate statements did before; the caller's rollback undoes it).
    """
    allowed = [] if limit is None else [
        select(func.count()).select_from(Ticket).where(
            Ticket.kiosk_id == fields["kiosk_id"], Ticket.issued_at >= since)
        .scalar_subquery() < limit]
    counter = postgresql.insert(TicketCounter).from_select(
        ["site_id", "service_id", "day", "last_number"],
        select(literal(fields["site_id"]), literal(fields["service_id"]),
               literal(fields["day"], Date), literal(1)).where(*allowed))
    counter = counter.on_conflict_do_update(
        index_elements=["site_id", "service_id", "day"],
        set_={"last_number": TicketCounter.last_number + 1},
    ).returning(TicketCounter.last_number).cte("numbered")
    number = counter.c.last_number
    digits = cast(number, String)
    label = literal(prefix) + func.lpad(digits, func.greatest(3, func.length(digits)), "0")
    columns = list(fields)
    row = select(*(literal(fields[name], Ticket.__table__.c[name].type) for name in columns),
                 number, label).select_from(counter)
    if cap is not None:
        row = row.where(number <= cap)
    ticket = insert(Ticket).from_select([*columns, "number", "label"], row) \
        .returning(Ticket.id).cte("issued")
    bumped = version_bump([fields["site_id"]]).returning(Site.id).cte("bumped")
    return select(select(number).scalar_subquery(), select(ticket.c.id).scalar_subquery()) \
        .add_cte(bumped)


def _desk_candidates(desk: Desk, day, priority: bool | None):
    """Select the waiting tickets this desk may call, oldest first."""
    # A retired service takes no new tickets, but the numbers already given are still served.
    service_ids = [s.id for s in desk.services]
    stmt = (
        db.select(Ticket)
        .where(Ticket.site_id == desk.site_id, Ticket.day == day, Ticket.status == "waiting",
               Ticket.service_id.in_(service_ids),
               or_(Ticket.desk_id.is_(None), Ticket.desk_id == desk.id))
        .order_by(Ticket.issued_at, Ticket.id)
        .limit(5)
    )
    if priority is not None:
        stmt = stmt.where(Ticket.priority.is_(priority))
    return list(db.session.execute(stmt).scalars())


def _pick_order(desk: Desk, day) -> list[Ticket]:
    """Order the candidates by the site's priority policy (strict, or N normal : 1 priority)."""
    prio = _desk_candidates(desk, day, True)
    normal = _desk_candidates(desk, day, False)
    if priority_first(desk.site, desk.normal_streak, prio[0] if prio else None,
                      normal[0] if normal else None):
        return prio + normal
    return normal + prio


def open_ticket_at(desk: Desk) -> Ticket | None:
    """Return the ticket a desk has called or is serving, if any."""
    stmt = db.select(Ticket).where(Ticket.desk_id == desk.id,
                                   Ticket.status.in_(("called", "serving")))
    return db.session.execute(stmt.limit(1)).scalar_one_or_none()


def call_next(desk: Desk, user_id: int | None = None, now: datetime | None = None) -> Ticket | None:
    """Call the next ticket for a desk; None when nobody waits.

    Claimed with a compare-and-set UPDATE (… WHERE status = 'waiting'), so two desks calling
    at the same instant never get the same ticket: the loser sees 0 rows and tries the next.
    """
    now = now or utcnow()
    if desk.paused:
        raise QueueError("paused", "the desk is paused")
    current = open_ticket_at(desk)
    if current is not None:
        raise QueueError("busy", current.label)
    day = local_today(now)
    for _attempt in range(5):
        candidates = _pick_order(desk, day)
        if not candidates:
            return None
        for ticket in candidates:
            claimed = db.session.execute(
                update(Ticket)
                .where(and_(Ticket.id == ticket.id, Ticket.status == "waiting"))
                .values(status="called", desk_id=desk.id, called_at=now, served_by_id=user_id)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed == 1:
                db.session.refresh(ticket)
                desk.normal_streak = 0 if ticket.priority else desk.normal_streak + 1
                add_event(ticket, "called", desk, at=now)
                db.session.flush()
                return ticket
    return None


def recall(ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Announce a called ticket again."""
    if ticket.status != "called":
        raise QueueError("not_called", "only a called ticket can be recalled")
    ticket.recall_count += 1
    add_event(ticket, "recalled", at=now)
    db.session.flush()
    return ticket


def mark_no_show(ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Close a called ticket whose citizen did not come, after the site's number of recalls."""
    if ticket.status != "called":
        raise QueueError("not_called", "only a called ticket can be a no-show")
    site = db.session.get(Site, ticket.site_id)
    if ticket.recall_count < site.noshow_after_recalls:
        raise QueueError("recall_first", str(site.noshow_after_recalls))
    ticket.status = "no_show"
    ticket.ended_at = now or utcnow()
    add_event(ticket, "no_show", at=ticket.ended_at)
    db.session.flush()
    return ticket


def start_serving(ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Mark that the citizen sat down at the desk."""
    if ticket.status != "called":
        raise QueueError("not_called", "only a called ticket can be started")
    ticket.status = "serving"
    ticket.started_at = now or utcnow()
    add_event(ticket, "started", at=ticket.started_at)
    db.session.flush()
    return ticket


def finish(ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Close a ticket as served."""
    if ticket.status not in ("called", "serving"):
        raise QueueError("not_open", "only a called or serving ticket can be finished")
    now = now or utcnow()
    ticket.started_at = ticket.started_at or ticket.called_at or now
    ticket.status = "done"
    ticket.ended_at = now
    add_event(ticket, "finished", at=now)
    db.session.flush()
    return ticket


def transfer(ticket: Ticket, service: Service | None = None, desk: Desk | None = None,
             now: datetime | None = None) -> Ticket:
    """Send an open ticket to another service or desk; it keeps its place by issue time."""
    if ticket.status not in OPEN_STATUSES:
        raise QueueError("not_open", "only an open ticket can be transferred")
    if service is None and desk is None:
        raise QueueError("no_target", "a service or a desk is required")
    if service is not None:
        if service.site_id != ticket.site_id or not service.active:
            raise QueueError("bad_service", "unknown service")
        ticket.service_id = service.id
    if desk is not None and desk.site_id != ticket.site_id:
        raise QueueError("bad_desk", "unknown desk")
    add_event(ticket, "transferred", at=now)
    ticket.status = "waiting"
    ticket.desk_id = desk.id if desk else None
    # The next desk starts afresh: its own call, recalls, start and server.
    ticket.called_at = ticket.started_at = ticket.served_by_id = None
    ticket.recall_count = 0
    db.session.flush()
    return ticket


def cancel(ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Cancel a waiting ticket."""
    if ticket.status != "waiting":
        raise QueueError("not_waiting", "only a waiting ticket can be cancelled")
    ticket.status = "cancelled"
    ticket.ended_at = now or utcnow()
    add_event(ticket, "cancelled", at=ticket.ended_at)
    db.session.flush()
    return ticket
