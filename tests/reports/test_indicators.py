"""Every indicator pinned on the hand-built data set of conftest.py."""
from datetime import date

import pytest

from kiosk.extensions import db
from kiosk.queue.models import Site
from kiosk.reports.periods import Period, build_period
from kiosk.reports.queries import Scope, full_report, headline
from tests.reports.conftest import EXPECTED_MAY


@pytest.fixture
def demo_id(dataset):
    with dataset.app_context():
        yield db.session.execute(db.select(Site.id).where(Site.code == "DEMO")).scalar_one()


def test_may_calendar_every_indicator(dataset, demo_id):
    with dataset.app_context():
        report = full_report(Scope(build_period("month", 2026, 5), demo_id))
    for key, value in EXPECTED_MAY.items():
        assert report[key] == value, key
    assert report["ytd"] == {"assists": 7, "citizens": 6}
    assert report["by_age_band"] == {"": 4, "18-39": 1, "60-69": 1}
    assert report["by_gender"] == {"": 4, "female": 1, "male": 1}
    assert report["by_failure_reason"] == {"no-otp": 1}
    assert report["by_platform"] == {"binhdanhocvuso": 1}
    assert report["active_helpers"] == 2
    assert report["volunteer_hours"] == 0.7  # 1800 s + 600 s by the volunteer
    roles = {r["role"]: (r["assists"], r["helpers"], r["hours"]) for r in report["by_helper_role"]}
    assert roles == {"officer": (2, 1, 0.3), "volunteer": (2, 1, 0.7), "": (2, 0, 0.0)}
    helpers = {r["name"]: r["assists"] for r in report["by_helper"]}
    assert helpers == {"Trần Thị Hương": 2, "Lê Minh Tuấn": 2, "": 2}
    assert report["counters"] == {"vneid_activated": 1, "dossiers_submitted": 2,
                                  "payments_made": 0, "apps_installed": 0}
    quality = report["quality"]
    assert (quality["wait_count"], quality["wait_mean"], quality["wait_p90"]) == (3, 11.7, 20.0)
    assert (quality["service_count"], quality["service_mean"], quality["service_p90"]) == (
        4, 15.0, 30.0)
    assert (quality["tickets"], quality["no_shows"], quality["no_show_rate"]) == (4, 1, 25.0)
    # Sunday 31 May 23:00 (A1); Friday 1 May 00:xx (A3, A5); Sunday 10 May 14:00 (A7) …
    assert report["heatmap"] == {(6, 23): 1, (4, 0): 2, (6, 14): 1, (3, 9): 1, (4, 8): 1}
    assert report["satisfaction"] == {
        "scales": [{"scale": 5, "levels": {5: 1, 4: 1, 3: 1, 2: 0, 1: 1}, "rated": 4,
                    "satisfied": 2, "satisfied_share": 50.0}],
        "rated": 4, "satisfied": 2, "satisfied_share": 50.0}


def test_local_day_edges(dataset, demo_id):
    with dataset.app_context():
        june = headline(Scope(build_period("month", 2026, 6), demo_id))
        april = headline(Scope(build_period("month", 2026, 4), demo_id))
        last_evening = headline(Scope(Period(date(2026, 5, 31), date(2026, 5, 31)), demo_id))
    assert june == {"assists": 1, "citizens": 1}  # 00:10 local on 1 June
    assert april == {"assists": 1, "citizens": 1}  # 23:59 local on 30 April
    assert last_evening == {"assists": 1, "citizens": 1}  # 23:30 local on 31 May


def test_cutoff_option(dataset, demo_id):
    with dataset.app_context():
        report = full_report(Scope(build_period("month", 2026, 5, "cutoff"), demo_id))
    # 15 April – 14 May: A4 (30 April) in; A1 (31 May) and A10 (15 May) out.
    assert (report["assists"], report["citizens"]) == (5, 4)
    assert report["by_category"] == {"dvc-submit": 2, "account": 1, "apps": 1, "vneid": 1}
    assert report["ytd"] == {"assists": 5, "citizens": 4}


def test_city_sees_every_site_and_the_per_site_table(dataset):
    with dataset.app_context():
        report = full_report(Scope(build_period("month", 2026, 5)), with_sites=True)
    assert (report["assists"], report["citizens"]) == (7, 6)
    assert [(s["code"], s["assists"], s["citizens"]) for s in report["sites"]] == [
        ("DEMO", 6, 5), ("OTHER", 1, 1)]


def test_empty_period_has_no_division_by_zero(dataset, demo_id):
    with dataset.app_context():
        report = full_report(Scope(build_period("month", 2025, 1), demo_id))
    assert report["assists"] == 0
    assert report["quality"]["wait_p90"] is None
    assert report["satisfaction"]["satisfied_share"] is None
