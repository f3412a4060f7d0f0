"""Migration 0005 on a populated database: global settings become each site's, platforms each site's."""
from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from kiosk.extensions import db

NOW = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def _populate_0004(conn):
    for code in ("AAA", "BBB"):
        conn.execute(text(
            "INSERT INTO site (code, name, address, opening_hours, priority_policy, interleave_n, "
            "noshow_after_recalls, console_lock_minutes, ticker, active, created_at) VALUES "
            "(:c, :n, '', '', 'strict', 3, 2, 10, '', :t, :now)"),
            {"c": code, "n": f"Trung tâm {code}", "t": True, "now": NOW})
    site_a = conn.execute(text("SELECT id FROM site WHERE code = 'AAA'")).scalar()
    conn.execute(text("INSERT INTO setting (key, value) VALUES ('contact_retention_days', '3650'), "
                      "('report_period_basis', 'cutoff')"))
    for order, code in enumerate(("binhdan", "ptit"), start=1):
        conn.execute(text(
            "INSERT INTO learning_platform (code, name, url, description_vi, description_en, "
            "sort_order, active) VALUES (:c, :c, :u, 'mô tả', 'about', :o, :a)"),
            {"c": code, "u": f"https://{code}.example.vn", "o": order * 10, "a": code == "binhdan"})
    users = [("admin", "admin-demo"), ("canbo", "đã đổi mật khẩu rồi"), ("khac", "khac-demo")]
    for username, password in users:
        conn.execute(text(
            'INSERT INTO "user" (username, password_hash, full_name, role, site_id, active, '
            "last_place, created_at) VALUES (:u, :h, '', 'officer', :s, :a, '', :now)"),
            {"u": username, "h": generate_password_hash(password, "scrypt:1024:8:1"), "s": site_a,
             "a": True, "now": NOW})


def test_upgrade_copies_settings_and_platforms_to_every_site_and_back(app):
    with app.app_context():
        downgrade(revision="0004")
        with db.engine.begin() as conn:
            _populate_0004(conn)
        upgrade()
        with db.engine.connect() as conn:
            sites = conn.execute(text(
                "SELECT code, contact_retention_days, report_period_basis FROM site ORDER BY code")).all()
            assert [tuple(s) for s in sites] == [("AAA", 3650, "cutoff"), ("BBB", 3650, "cutoff")]
            platforms = conn.execute(text(
                "SELECT s.code, p.code, p.url, p.sort_order, p.active FROM learning_platform p "
                "JOIN site s ON s.id = p.site_id ORDER BY s.code, p.sort_order")).all()
            assert [tuple(p) for p in platforms] == [
                ("AAA", "binhdan", "https://binhdan.example.vn", 10, True),
                ("AAA", "ptit", "https://ptit.example.vn", 20, False),
                ("BBB", "binhdan", "https://binhdan.example.vn", 10, True),
                ("BBB", "ptit", "https://ptit.example.vn", 20, False)]
            demo = dict(conn.execute(text('SELECT username, is_demo FROM "user"')).all())
            # Only an account that still has its published demo password is marked.
            assert demo == {"admin": True, "canbo": False, "khac": False}
        downgrade(revision="0004")
        with db.engine.connect() as conn:
            settings = dict(conn.execute(text("SELECT key, value FROM setting")).all())
            assert settings == {"contact_retention_days": "3650", "report_period_basis": "cutoff"}
            assert conn.execute(text("SELECT count(*) FROM learning_platform")).scalar() == 2
        upgrade()


def test_upgrade_of_an_empty_database_drops_orphan_platforms(app):
    with app.app_context():
        downgrade(revision="0004")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO learning_platform (code, name, url, description_vi, description_en, "
                "sort_order, active) VALUES ('x', 'x', 'https://x.vn', '', '', 0, :a)"), {"a": True})
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM learning_platform")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM site")).scalar() == 0
