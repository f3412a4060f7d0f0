"""A per-site change counter of what the live screens show, and a short memo of it per process.

The board, the phones, the kiosk and the console poll every second or so, and almost every poll
finds nothing new. Each transaction that changes a site's queue (tickets and their events),
its desks, services, holidays, rota, users or log adds one to `site.live_version` as it
commits; a poll answers from the version alone when it is the one the client already has
(kiosk/api/polls.py: 304, or a body computed moments ago).

The version is read from the database at most every MEMO_SECONDS per process: a change made
through another app server is seen within that, plus the client's own poll interval (the
screens' aim is 2 s). The increment is the transaction's last statement, taken after the
flush in before_commit, so the site row's lock is held only while committing and always after
every other row lock of the transaction (no lock-order cycle between two transactions).
"""
import threading
import time

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from kiosk.queue.models import Desk, PublicHoliday, Service, Site, Ticket, TicketEvent
from kiosk.timeutil import local_today

MEMO_SECONDS = 0.5
SITES_KEY, BUMPED_KEY = "live_sites", "live_sites_bumped"
# Changes of these rows change a live screen of their site (other features add theirs).
LIVE_MODELS: set[type] = {Desk, PublicHoliday, Service, Ticket, TicketEvent}

_memo: dict[int, tuple[int, float]] = {}
_codes: dict[str, tuple[int | None, float]] = {}
_tokens: dict[str, tuple[int, object]] = {}  # a ticket's token -> (site, day): never changes
_memo_lock = threading.Lock()


def register_live_models(*models: type) -> None:
    """Name more tables (with a site_id) whose changes the live screens show."""
    LIVE_MODELS.update(models)


def touch_site(session: Session, site_id: int | None) -> None:
    """Have this transaction add one to a site's live version when it commits (for changes
    the ORM does not see, such as a replaced voice clip)."""
    if site_id is not None:
        session.info.setdefault(SITES_KEY, set()).add(site_id)


def version_bump(site_ids):
    """The statement adding one to these sites' live versions."""
    return (update(Site).where(Site.id.in_(sorted(site_ids)))
            .values(live_version=Site.live_version + 1)
            .execution_options(synchronize_session=False))


def bumped_by_statement(session: Session, site_id: int) -> None:
    """Note that a statement of this transaction already added one to a site's version (the
    ticket issue's, as the last step of its one statement): this process reads the new
    version at once after the commit."""
    session.info.setdefault(BUMPED_KEY, set()).add(site_id)


def bumped_sites(session: Session) -> set[int]:
    """Return the sites whose version this transaction has added to so far: their rows are
    locked by it until it ends."""
    return session.info.get(BUMPED_KEY, set())


@event.listens_for(Session, "after_flush")
def _note_changed_sites(session: Session, _context) -> None:
    """Remember the sites whose live rows this flush wrote."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Site):
            touch_site(session, obj.id)
        elif type(obj) in LIVE_MODELS:
            touch_site(session, getattr(obj, "site_id", None))


@event.listens_for(Session, "before_commit")
def _bump_versions(session: Session) -> None:
    """Add one to the live version of every site the transaction changed, last of all."""
    session.flush()  # the last changes are noted before the increment
    sites = session.info.pop(SITES_KEY, None)
    if sites:
        session.info.setdefault(BUMPED_KEY, set()).update(sites)
        session.connection().execute(version_bump(sites))


@event.listens_for(Session, "after_commit")
def _see_own_changes(session: Session) -> None:
    """This process reads the new versions at once: its next poll shows what it just did."""
    sites = session.info.pop(BUMPED_KEY, None)
    if sites:
        with _memo_lock:
            for site_id in sites:
                _memo.pop(site_id, None)


@event.listens_for(Session, "after_rollback")
def _forget_sites(session: Session) -> None:
    """A rolled-back transaction changed nothing."""
    session.info.pop(SITES_KEY, None)
    session.info.pop(BUMPED_KEY, None)


def live_version(session: Session, site_id: int) -> int:
    """Return a site's live version, read at most every MEMO_SECONDS in this process."""
    memo = _memo.get(site_id)
    if memo is not None and time.monotonic() - memo[1] < MEMO_SECONDS:
        return memo[0]
    versions, _ids, now = _read_sites(session)
    if site_id not in versions:  # a deleted site: remembered as such until the next read
        with _memo_lock:
            _memo[site_id] = (0, now)
    return versions.get(site_id, 0)


def active_site_id(session: Session, code: str) -> int | None:
    """Return the id of the active site with this code (None: none), read at most every
    MEMO_SECONDS in this process."""
    memo = _codes.get(code)
    if memo is not None and time.monotonic() - memo[1] < MEMO_SECONDS:
        return memo[0]
    _versions, ids, now = _read_sites(session)
    if code not in ids:  # a code no site has (typed by hand, renamed): remembered as unknown
        with _memo_lock:
            _codes[code] = (None, now)
    return ids.get(code)


def _read_sites(session: Session) -> tuple[dict[int, int], dict[str, int | None], float]:
    """Read every site's version, code and state in one statement and remember them all;
    return what this read found ({id: version}, {code: id, None when inactive}) and when.

    A city server's polls come from a hundred sites: one read of a hundred short rows each
    half second per process, rather than one read a site (a few thousand sites: one read of
    a few thousand rows of four short columns). Callers answer from their own read's result, as
    another thread's read may be rewriting the memo at the same moment."""
    now = time.monotonic()
    rows = session.execute(select(Site.id, Site.code, Site.active, Site.live_version)).all()
    versions = {row.id: row.live_version or 0 for row in rows}
    ids = {row.code: row.id if row.active else None for row in rows}
    with _memo_lock:
        if len(_codes) > 10_000:  # unknown codes typed by hand must not grow it for ever
            _codes.clear()
        _memo.update((site_id, (version, now)) for site_id, version in versions.items())
        _codes.update((code, (site_id, now)) for code, site_id in ids.items())
    return versions, ids, now


def token_site(session: Session, token: str) -> int | None:
    """Return the site of today's ticket with this phone token (None: unknown or expired)."""
    memo = _tokens.get(token)
    if memo is None:
        row = session.execute(select(Ticket.site_id, Ticket.day).where(Ticket.token == token)).first()
        if row is None:
            return None
        with _memo_lock:
            if len(_tokens) > 50_000:  # a day of a city's tickets; older ones have expired
                _tokens.clear()
            _tokens[token] = memo = (row.site_id, row.day)
    return memo[0] if memo[1] == local_today() else None


def forget_memo() -> None:
    """Drop the memo (tests that change the database behind the app's back)."""
    with _memo_lock:
        _memo.clear()
        _codes.clear()
        _tokens.clear()
