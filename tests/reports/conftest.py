"""A small hand-built assist log whose every indicator is known (see EXPECTED_MAY)."""
from datetime import UTC, date, datetime

import pytest

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.queue.models import Service, Site, Ticket
from kiosk.timeutil import LOCAL_TZ


def local(y, m, d, hh, mm) -> datetime:
    """Return the UTC instant of a local Asia/Ho_Chi_Minh wall-clock time."""
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ).astimezone(UTC)


def add_assist(site, ended_local, visit, category, *, helper=None, groups=(), **fields):
    """Add one assist ending at a local time; local_day is that time's local date."""
    ended = local(*ended_local)
    assist = Assist(site_id=site.id, visit_key=visit, category=category, ended_at=ended,
                    local_day=ended.astimezone(LOCAL_TZ).date(),
                    helper_id=helper.id if helper else None,
                    helper_role=helper.role if helper else "",
                    target_groups=[AssistTargetGroup(code=c) for c in groups], **fields)
    db.session.add(assist)
    return assist


# Calendar May 2026 at DEMO: A1 A3 A5 A7 A9 A10 (A2 is June, A4 April, A6 deleted, A8 at OTHER).
EXPECTED_MAY = {
    "assists": 6, "citizens": 5,
    "by_category": {"vneid": 2, "account": 1, "apps": 1, "dvc-submit": 1, "safety": 1},
    "by_outcome": {"done": 5, "failed": 1},
    "by_channel": {"desk": 4, "home": 1, "mobile": 1},
    "by_target_group": {"elderly": 2, "farmer": 1, "worker": 1},
}


@pytest.fixture
def dataset(demo):
    """DEMO and OTHER sites with the assists and tickets of EXPECTED_MAY; returns the app."""
    with demo.app_context():
        demo_site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        other = Site(code="OTHER", name="Phường Lê Chân")
        db.session.add(other)
        db.session.flush()
        users = {u.username: u for u in db.session.execute(db.select(User)).scalars()}
        canbo, doanvien = users["canbo"], users["doanvien"]
        # A1: 23:30 local on 31 May is 16:30 UTC: it counts in May.
        add_assist(demo_site, (2026, 5, 31, 23, 30), "v1", "vneid", helper=canbo,
                   groups=["elderly"], age_band="60-69", gender="female", wait_seconds=600,
                   service_seconds=900, satisfaction=5, vneid_activated=1)
        # A2: 00:10 local on 1 June is still 31 May in UTC: it counts in June.
        add_assist(demo_site, (2026, 6, 1, 0, 10), "v2", "payment")
        add_assist(demo_site, (2026, 5, 1, 0, 5), "v3", "vneid", helper=doanvien,
                   groups=["elderly", "farmer"], outcome="failed", failure_reason="no-otp",
                   channel="mobile", service_seconds=1800, platform_code="binhdanhocvuso",
                   satisfaction=3)
        add_assist(demo_site, (2026, 4, 30, 23, 59), "v4", "dvc-submit")
        add_assist(demo_site, (2026, 5, 1, 0, 20), "v3", "account", helper=doanvien,
                   wait_seconds=300, service_seconds=600, satisfaction=4)
        add_assist(demo_site, (2026, 5, 20, 9, 0), "v6", "vneid",
                   deleted_at=local(2026, 5, 21, 8, 0))
        add_assist(demo_site, (2026, 5, 10, 14, 0), "v7", "dvc-submit", helper=canbo,
                   groups=["worker"], channel="home", backdated=True, gender="male",
                   age_band="18-39", wait_seconds=1200, service_seconds=300,
                   note='=HYPERLINK("x")', place="-cmd", dossiers_submitted=2,
                   entered_at=local(2026, 6, 3, 9, 0))
        add_assist(other, (2026, 5, 12, 8, 0), "v8", "vneid")
        add_assist(demo_site, (2026, 5, 14, 9, 0), "v9", "apps")
        add_assist(demo_site, (2026, 5, 15, 8, 30), "v10", "safety", satisfaction=1)
        service = db.session.execute(db.select(Service).where(
            Service.site_id == demo_site.id, Service.code == "vneid")).scalar_one()
        for number, status in enumerate(("done", "done", "done", "no_show", "cancelled"), 1):
            db.session.add(Ticket(site_id=demo_site.id, service_id=service.id,
                                  issued_service_id=service.id, day=date(2026, 5, 4),
                                  number=number, label=f"A{number:03d}", status=status,
                                  token=f"t{number}", issued_at=local(2026, 5, 4, 8, number)))
        db.session.commit()
    return demo
