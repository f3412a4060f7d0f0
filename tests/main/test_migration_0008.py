"""Migration 0008 on a populated database: the rows of a tally logged before it (same helper,
same entered_at, no ticket) become one group; single entries and ticket entries stay alone."""
from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from kiosk.extensions import db

T1 = datetime(2026, 5, 5, 3, 0, tzinfo=UTC)
T2 = datetime(2026, 5, 5, 4, 0, tzinfo=UTC)
# (entered_at, entered_by, with a ticket): a tally of 3 at T1 by helper 1, a single entry at T2,
# a single entry by helper 2 at T1, and a ticket entry at T1 by helper 1.
ROWS = [(T1, 1, False), (T1, 1, False), (T1, 1, False), (T2, 1, False), (T1, 2, False),
        (T1, 1, True)]


def _populate_0007(conn) -> None:
    conn.execute(text(
        "INSERT INTO site (code, name, address, opening_hours, priority_policy, interleave_n, "
        "noshow_after_recalls, console_lock_minutes, ticker, contact_retention_days, "
        "report_period_basis, active, created_at, rating_scale) VALUES ('AAA', 'A', '', '', "
        "'strict', 3, 2, 10, '', 90, 'calendar', :t, :now, 3)"), {"t": True, "now": T1})
    site = conn.execute(text("SELECT id FROM site")).scalar_one()
    conn.execute(text(
        "INSERT INTO service (site_id, code, prefix, name_vi, name_en, icon, sort_order, active) "
        "VALUES (:s, 'vneid', 'A', 'VNeID', 'VNeID', 'id', 10, :t)"), {"s": site, "t": True})
    service = conn.execute(text("SELECT id FROM service")).scalar_one()
    conn.execute(text(
        "INSERT INTO ticket (site_id, service_id, issued_service_id, day, number, label, "
        "priority, status, token, recall_count, issued_at, ended_at) VALUES "
        "(:s, :v, :v, :d, 1, 'A001', :f, 'done', 'tok1', 0, :now, :now)"),
        {"s": site, "v": service, "d": date(2026, 5, 5), "f": False, "now": T1})
    ticket = conn.execute(text("SELECT id FROM ticket")).scalar_one()
    for n, (username, role) in enumerate((("a", "volunteer"), ("b", "officer")), start=1):
        conn.execute(text(
            "INSERT INTO \"user\" (id, username, password_hash, role, site_id, full_name, active, "
            "last_place, created_at, must_change_password, is_demo) "
            "VALUES (:i, :u, 'x', :r, :s, '', :t, '', :now, :f, :f)"),
            {"i": n, "u": username, "r": role, "s": site, "t": True, "f": False, "now": T1})
    for n, (entered, helper, with_ticket) in enumerate(ROWS):
        conn.execute(text(
            "INSERT INTO assist (site_id, ticket_id, visit_key, helper_id, entered_by_id, "
            "helper_role, channel, place, category, outcome, vneid_activated, "
            "dossiers_submitted, payments_made, apps_installed, note, ended_at, local_day, "
            "entered_at, backdated) VALUES (:s, :t, :k, :h, :h, '', 'mobile', '', 'vneid', "
            "'done', 0, 0, 0, 0, '', :at, :d, :at, :f)"),
            {"s": site, "t": ticket if with_ticket else None, "k": f"v{n}", "h": helper,
             "at": entered, "d": date(2026, 5, 5), "f": False})


def test_legacy_tallies_become_groups(app):
    with app.app_context():
        downgrade(revision="0007")
        with db.engine.begin() as conn:
            _populate_0007(conn)
        upgrade()
        with db.engine.connect() as conn:
            got = [row[0] for row in conn.execute(text("SELECT tally_id FROM assist ORDER BY id"))]
        first = got[0]
        assert first and first.startswith("legacy-")
        assert got == [first, first, first, None, None, None]
        downgrade(revision="0007")
        with db.engine.connect() as conn:
            columns = [row[1] for row in conn.execute(text("PRAGMA table_info(assist)"))] \
                if db.engine.dialect.name == "sqlite" else \
                [row[0] for row in conn.execute(text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'assist'"))]
        assert "tally_id" not in columns
        upgrade()
        db.session.remove()
