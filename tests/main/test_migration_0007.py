"""Migration 0007 on a populated database: three-face ratings stored as 5/3/1 become what the
citizen saw (3-level Hài lòng / Bình thường / Không hài lòng); summaries stay equal to the log."""
from collections import Counter
from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from kiosk.extensions import db
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.reports.periods import build_period
from kiosk.reports.queries import Scope, full_report
from kiosk.reports.sqlfuncs import half_start
from kiosk.reports.summary import live, raw_facts
from kiosk.reports.tables import breakdown_tables

NOW = datetime(2026, 5, 5, 3, 0, tzinfo=UTC)
# ticket number -> the old 5-level score its face was stored as (None: not rated).
TICKETS = {1: 5, 2: 3, 3: 1, 4: None}
# (ticket number or None, local day, old satisfaction): two assists of ticket 1's visit; a
# 4 only seed-bulk's synthetic data could hold.
ASSISTS = [(1, date(2026, 5, 5), 5), (2, date(2026, 5, 5), 3), (3, date(2026, 5, 20), 1),
           (1, date(2026, 5, 20), 5), (None, date(2026, 5, 5), None),
           (None, date(2026, 5, 20), 4)]


def _old_summary() -> list[tuple]:
    """The satisfaction rows the code before 0007 kept: (table, span, number, assists)."""
    rows = []
    halves = Counter((date(2026, 5, 1 if d.day < 15 else 15), s) for _t, d, s in ASSISTS if s)
    months = Counter((date(2026, 5, 1), s) for _t, _d, s in ASSISTS if s)
    rows += [("report_half", span, score, n) for (span, score), n in halves.items()]
    rows += [("report_month", span, score, n) for (span, score), n in months.items()]
    return rows


def _populate_0006(conn) -> int:
    conn.execute(text(
        "INSERT INTO site (code, name, address, opening_hours, priority_policy, interleave_n, "
        "noshow_after_recalls, console_lock_minutes, ticker, contact_retention_days, "
        "report_period_basis, active, created_at) VALUES ('AAA', 'Trung tâm A', '', '', "
        "'strict', 3, 2, 10, '', 90, 'calendar', :t, :now)"), {"t": True, "now": NOW})
    site = conn.execute(text("SELECT id FROM site")).scalar_one()
    conn.execute(text(
        "INSERT INTO service (site_id, code, prefix, name_vi, name_en, icon, sort_order, active) "
        "VALUES (:s, 'vneid', 'A', 'VNeID', 'VNeID', 'id', 10, :t)"), {"s": site, "t": True})
    service = conn.execute(text("SELECT id FROM service")).scalar_one()
    ids = {}
    for number, score in TICKETS.items():
        conn.execute(text(
            "INSERT INTO ticket (site_id, service_id, issued_service_id, day, number, label, "
            "priority, status, token, recall_count, issued_at, ended_at, rating, rated_at) VALUES "
            "(:s, :v, :v, :d, :n, :l, :f, 'done', :k, 0, :now, :now, :r, :rated)"),
            {"s": site, "v": service, "d": date(2026, 5, 5), "n": number, "l": f"A{number:03d}",
             "f": False, "k": f"tok{number}", "now": NOW, "r": score,
             "rated": NOW if score else None})
        ids[number] = conn.execute(text("SELECT id FROM ticket WHERE number = :n"),
                                   {"n": number}).scalar_one()
    for n, (ticket, day, score) in enumerate(ASSISTS):
        conn.execute(text(
            "INSERT INTO assist (site_id, ticket_id, visit_key, helper_role, channel, place, "
            "category, outcome, vneid_activated, dossiers_submitted, payments_made, "
            "apps_installed, note, satisfaction, ended_at, local_day, entered_at, backdated) "
            "VALUES (:s, :t, :k, '', 'desk', '', 'vneid', 'done', 0, 0, 0, 0, '', :sat, :now, :d, "
            ":now, :f)"),
            {"s": site, "t": ids.get(ticket), "k": f"t:{ticket}" if ticket else f"v{n}",
             "sat": score, "now": NOW, "d": day, "f": False})
    for table, span, score, count in _old_summary():
        column = "half" if table == "report_half" else "month"
        conn.execute(text(
            f"INSERT INTO {table} ({column}, site_id, dim, code, number, assists, amount) "
            "VALUES (:m, :s, 'satisfaction', '', :n, :a, 0)"),
            {"m": span, "s": site, "n": score, "a": count})
    conn.execute(text("INSERT INTO report_month (month, site_id, dim, code, number, assists, "
                      "amount) VALUES (:m, :s, 'all', '', 0, 6, 5)"),
                 {"m": date(2026, 5, 1), "s": site})
    return site


def _ratings(conn) -> tuple[list, list]:
    tickets = conn.execute(text("SELECT number, rating, rating_scale FROM ticket "
                                "ORDER BY number")).all()
    assists = conn.execute(text("SELECT satisfaction, satisfaction_scale FROM assist "
                                "ORDER BY id")).all()
    return [tuple(t) for t in tickets], [tuple(a) for a in assists]


def _summary(conn, table: str) -> list[tuple]:
    model = ReportHalf if table == "report_half" else ReportMonth
    span = model.half if model is ReportHalf else model.month
    return sorted(tuple(r) for r in conn.execute(db.select(
        span, model.site_id, model.dim, model.code, model.number, model.assists, model.amount)
        .where(model.dim == "satisfaction")).all())


def test_three_face_scores_become_the_three_level_words_and_back(app):
    with app.app_context():
        downgrade(revision="0006")
        with db.engine.begin() as conn:
            site = _populate_0006(conn)
        upgrade()
        with db.engine.connect() as conn:
            tickets, assists = _ratings(conn)
            assert tickets == [(1, 3, 3), (2, 2, 3), (3, 1, 3), (4, None, None)]
            assert assists == [(3, 3), (2, 3), (1, 3), (3, 3), (None, None), (4, 5)]
            assert conn.execute(text("SELECT rating_scale FROM site")).scalar_one() == 3
            # The summaries equal a from-scratch aggregation by today's code.
            where = live(date(2000, 1, 1), date(2100, 12, 31))
            for table, grain in (("report_month", {}), ("report_half", {"grain": half_start})):
                scratch = sorted(tuple(r) for r in conn.execute(
                    raw_facts(where, ["satisfaction"], **grain)).all())
                assert _summary(conn, table) == scratch
            assert conn.execute(text("SELECT assists FROM report_month WHERE dim = 'all'")
                                ).scalar_one() == 6
        with app.test_request_context():
            report = full_report(Scope(build_period("month", 2026, 5), site))
            tables = {t.key: [(name, n) for _c, name, n, _p in t.rows]
                      for t in breakdown_tables(report)}
            db.session.remove()  # release the read's locks before the downgrade's ALTER TABLE
        assert report["satisfaction"]["scales"][0] == {
            "scale": 3, "levels": {3: 2, 2: 1, 1: 1}, "rated": 4, "satisfied": 2,
            "satisfied_share": 50.0}
        assert tables["satisfaction-3"] == [("Hài lòng", 2), ("Bình thường", 1),
                                            ("Không hài lòng", 1)]
        assert ("Hài lòng", 1) in tables["satisfaction-5"]

        downgrade(revision="0006")
        with db.engine.connect() as conn:
            assert [t[1] for t in conn.execute(text(
                "SELECT number, rating FROM ticket ORDER BY number")).all()] == [5, 3, 1, None]
            assert [a[0] for a in conn.execute(text(
                "SELECT satisfaction FROM assist ORDER BY id")).all()] == [s for *_r, s in ASSISTS]
            old = sorted((table, span, score, n) for table, span, score, n in _old_summary())
            back = sorted((table, r[0], r[4], r[5]) for table in ("report_half", "report_month")
                          for r in _summary(conn, table))
            assert back == old
        upgrade()
