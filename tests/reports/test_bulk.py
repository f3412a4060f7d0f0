"""`flask seed-bulk`: reproducible, and its rows count like any other."""
from datetime import date

from kiosk.assists.models import Assist
from kiosk.extensions import db
from kiosk.reports.periods import Period
from kiosk.reports.queries import Scope, full_report


def test_seed_bulk_is_reproducible_and_reportable(app, runner):
    args = ["seed-bulk", "--sites", "2", "--days", "3", "--assists-per-day", "5",
            "--end", "2026-05-31"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Added 30 assists across 2 sites over 3 days." in result.output
    with app.app_context():
        rows = db.session.execute(db.select(Assist.visit_key, Assist.category, Assist.ended_at)
                                  .order_by(Assist.id)).all()
        report = full_report(Scope(Period(date(2026, 5, 29), date(2026, 5, 31))), with_sites=True)
        db.session.execute(db.delete(Assist))  # same seed again: the very same rows
        db.session.commit()
    assert {r.ended_at.date() for r in rows} <= {date(2026, 5, d) for d in (28, 29, 30, 31)}
    assert report["assists"] == 30 and sum(s["assists"] for s in report["sites"]) == 30
    assert 0 < report["citizens"] <= 30
    # Queued assists have their done tickets; some numbers called were no-shows.
    quality = report["quality"]
    assert quality["tickets"] == quality["wait_count"] + quality["no_shows"] > 0
    assert runner.invoke(args=args).exit_code == 0
    with app.app_context():
        again = db.session.execute(db.select(Assist.visit_key, Assist.category, Assist.ended_at)
                                   .order_by(Assist.id)).all()
    assert [tuple(r) for r in again] == [tuple(r) for r in rows]
    with app.app_context():  # the app can still log assists after explicit ids were inserted
        db.session.add(Assist(site_id=1, visit_key="new", category="vneid", local_day=date.today()))
        db.session.commit()


def test_seed_bulk_on_a_live_site_leaves_todays_numbering_working(demo, runner):
    """Bulk tickets of today at a demo site: the kiosk's next number goes on after them."""
    from kiosk.queue import services as queue
    from kiosk.queue.models import Service, Site, Ticket
    from kiosk.timeutil import local_today

    with demo.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        first = db.session.execute(db.select(Service).where(Service.site_id == site.id)
                                   .order_by(Service.sort_order, Service.id)).scalars().first()
        before = queue.issue_ticket(site, first)
        db.session.commit()
        first_id, before_number = first.id, before.number
    result = runner.invoke(args=["seed-bulk", "--site", "DEMO", "--days", "2",
                                 "--assists-per-day", "20", "--end", local_today().isoformat()])
    assert result.exit_code == 0, result.output
    with demo.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        service = db.session.get(Service, first_id)
        top = db.session.execute(db.select(db.func.max(Ticket.number)).where(
            Ticket.site_id == site.id, Ticket.day == local_today())).scalar_one()
        assert top > before_number  # bulk tickets were added today after the real one
        after = queue.issue_ticket(site, service)
        db.session.commit()
        assert after.number == top + 1
