"""The audit log screen: the admin's own site only, filters in local days, paging, role limits."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.audit.models import AuditEvent
from kiosk.auth.models import User
from kiosk.extensions import db
from kiosk.queue.models import Site


def _user_id(username):
    return db.session.execute(db.select(User.id).filter_by(username=username)).scalar_one()


@pytest.fixture
def events(app, demo):
    """A few DEMO events around the local midnight of 10→11/03/2025, and one of another site."""
    with app.app_context():
        demo_id = db.session.execute(db.select(Site.id).filter_by(code="DEMO")).scalar_one()
        other = Site(code="OTHER", name="Trung tâm khác")
        db.session.add(other)
        db.session.flush()
        db.session.add_all([
            AuditEvent(at=datetime(2025, 3, 10, 3, 0, tzinfo=UTC), site_id=demo_id,
                       user_id=_user_id("admin"), action="report.export", target="assists.csv",
                       detail='{"rows": 5, "from": "2025-03-01"}'),
            # 18:30 UTC is 01:30 on 11/03 in Hà Nội: the day filter must see it as the 11th.
            AuditEvent(at=datetime(2025, 3, 10, 18, 30, tzinfo=UTC), site_id=demo_id,
                       user_id=_user_id("canbo"), action="assist.deleted", target="assist:7",
                       detail="{}"),
            AuditEvent(at=datetime(2025, 3, 12, 2, 0, tzinfo=UTC), site_id=demo_id,
                       user_id=_user_id("doanvien"), action="auth.login_failed",
                       target="login:doanvien", detail="{}"),
            AuditEvent(at=datetime(2025, 3, 12, 3, 0, tzinfo=UTC), site_id=demo_id,
                       action="weird.thing", target="x-raw", detail=""),
            AuditEvent(at=datetime(2025, 3, 12, 4, 0, tzinfo=UTC), site_id=demo_id,
                       user_id=_user_id("admin"), action="kiosk.create", target="Kiosk sảnh",
                       detail="{}"),
            AuditEvent(at=datetime(2025, 3, 12, 3, 0, tzinfo=UTC), site_id=other.id,
                       action="report.export", target="other-secret", detail="{}"),
        ])
        db.session.commit()
    return app


def _targets(html):
    known = ("assists.csv", "assist:7", "login:doanvien", "x-raw", "Kiosk sảnh", "other-secret")
    return {t for t in known if f"<td>{t}</td>" in html}


def test_shows_own_site_newest_first_with_labels(client, events, login):
    login("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert _targets(html) == {"assists.csv", "assist:7", "login:doanvien", "x-raw", "Kiosk sảnh"}
    assert "10/03/2025 10:00:00" in html and "11/03/2025 01:30:00" in html
    assert "Xuất báo cáo" in html and "Xóa lượt hỗ trợ" in html and "weird.thing" in html
    assert "Nguyễn Văn Quản (admin)" in html and "<td>—</td>" in html
    assert "rows:" in html and "<dd>5</dd>" in html
    assert html.index("Kiosk sảnh</td>") < html.index("x-raw") < html.index("assists.csv</td>")


@pytest.mark.parametrize("query,expected", [
    ({"kind": "export"}, {"assists.csv"}),
    ({"kind": "deletion"}, {"assist:7"}),
    ({"kind": "failed"}, {"login:doanvien"}),
    ({"kind": "admin"}, {"Kiosk sảnh"}),
    ({"first": "2025-03-11", "last": "2025-03-11"}, {"assist:7"}),
    ({"first": "2025-03-12"}, {"login:doanvien", "x-raw", "Kiosk sảnh"}),
    ({"last": "2025-03-10"}, {"assists.csv"}),
    ({"q": "ASSIST"}, {"assists.csv", "assist:7"}),
    ({"q": "%"}, set()),
])
def test_filters(client, events, login, query, expected):
    login("admin")
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    assert _targets(response.get_data(as_text=True)) == expected


def test_filter_by_person(app, client, events, login):
    login("admin")
    with app.app_context():
        canbo = _user_id("canbo")
    html = client.get(f"/admin/audit?person={canbo}").get_data(as_text=True)
    assert _targets(html) == {"assist:7"}
    assert "Trần Thị Hương (canbo)" in html  # the select lists the site's people


def test_paging_keeps_filters(app, client, events, login):
    with app.app_context():
        demo_id = db.session.execute(db.select(Site.id).filter_by(code="DEMO")).scalar_one()
        start = datetime(2025, 4, 1, tzinfo=UTC)
        db.session.add_all([AuditEvent(at=start + timedelta(minutes=i), site_id=demo_id,
                                       action="site.settings", target=f"bulk-{i:03d}", detail="{}")
                            for i in range(120)])
        db.session.commit()
    login("admin")
    pages = []
    url = "/admin/audit?q=bulk&kind=admin"
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(re.findall(r"<td>(bulk-\d{3})</td>", html))
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url:
            assert "q=bulk" in url and "kind=admin" in url
    assert [len(p) for p in pages] == [50, 50, 20]
    assert pages[0][0] == "bulk-119" and pages[2][-1] == "bulk-000"
    html = client.get("/admin/audit?q=bulk&kind=admin&page=2").get_data(as_text=True)
    assert 'rel="prev"' in html and "page=1" in html


@pytest.mark.parametrize("query,message", [
    ({"first": "2025-13-40"}, "Ngày không hợp lệ."),
    ({"last": "hôm qua"}, "Ngày không hợp lệ."),
    ({"first": "1999-12-31"}, "Ngày phải trong khoảng năm 2000 đến 2100."),
    ({"last": "2101-01-01"}, "Ngày phải trong khoảng năm 2000 đến 2100."),
    ({"first": "2025-03-12", "last": "2025-03-10"}, "Ngày kết thúc phải sau ngày bắt đầu."),
    ({"kind": "everything"}, "Loại thao tác không hợp lệ."),
    ({"person": "abc"}, "Người thực hiện không hợp lệ."),
])
def test_bad_filters_are_refused_in_vietnamese(client, events, login, query, message):
    login("admin")
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_another_sites_user_is_not_a_choice(app, client, events, login):
    with app.app_context():
        other = db.session.execute(db.select(Site).filter_by(code="OTHER")).scalar_one()
        user = User(username="khac", full_name="Người Khác", role="admin", site_id=other.id)
        user.set_password("x" * 12)
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    login("admin")
    response = client.get(f"/admin/audit?person={user_id}")
    assert response.status_code == 400 and "Người Khác" not in response.get_data(as_text=True)


@pytest.mark.parametrize("user", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_only_admins(client, demo, login, user):
    login(user)
    assert client.get("/admin/audit").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, demo):
    response = client.get("/admin/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_action_the_code_records_has_a_vietnamese_label():
    import re
    from pathlib import Path

    from kiosk.audit.labels import ACTION_LABELS
    root = Path(__file__).resolve().parents[2] / "kiosk"
    pattern = re.compile(r'record_event\w*\(\s*"([a-z_]+\.[a-z_]+)"')
    recorded = {m for path in root.rglob("*.py") for m in pattern.findall(path.read_text())}
    assert len(recorded) > 30
    assert recorded - set(ACTION_LABELS) == set()
