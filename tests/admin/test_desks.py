"""Desks: list, search, add, edit; Vietnamese errors save nothing; own site only; audited."""
import pytest

from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from kiosk.queue.models import Desk, Service
from tests.conftest import count_rows

NEW_DESK = {"number": "7", "name": "Quầy hỗ trợ VNeID"}


def _desk(app, number, site_code="DEMO"):
    from kiosk.queue.models import Site
    with app.app_context():
        desk = db.session.execute(db.select(Desk).join(Site).where(
            Site.code == site_code, Desk.number == number)).scalar_one_or_none()
        if desk is not None:
            return {"id": desk.id, "number": desk.number, "name": desk.name, "active": desk.active,
                    "services": sorted(s.code for s in desk.services)}
        return None


def _service_ids(app, *codes):
    with app.app_context():
        return [db.session.execute(db.select(Service.id).filter_by(code=c)).scalars().first()
                for c in codes]


ROUTES = [("get", "/admin/desks"), ("get", "/admin/desks/new"), ("post", "/admin/desks/new"),
          ("get", "/admin/desks/1"), ("post", "/admin/desks/1")]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("user", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_other_roles_are_refused(client, demo, login, method, path, user):
    login(user)
    assert getattr(client, method)(path, data=NEW_DESK).status_code == 403


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_is_sent_to_sign_in(client, demo, method, path):
    response = getattr(client, method)(path, data=NEW_DESK)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_desks_and_searches(client, demo, login):
    login("admin")
    html = client.get("/admin/desks").get_data(as_text=True)
    assert "Quầy 1" in html and "Quầy 3" in html and "Tất cả nội dung" in html
    found = client.get("/admin/desks?q=quay 2").get_data(as_text=True)  # no marks still matches
    assert "Quầy 2" in found and "Quầy 1" not in found and "Quầy 3" not in found
    assert "Không tìm thấy quầy nào." in client.get("/admin/desks?q=zzz").get_data(as_text=True)


def test_new_desk_serves_every_active_service_by_default(app, client, demo, login):
    login("admin")
    html = client.get("/admin/desks/new").get_data(as_text=True)
    assert html.count('type="checkbox"') == 11 and html.count("checked") == 11
    ids = _service_ids(app, "vneid", "payment")
    response = client.post("/admin/desks/new", data={**NEW_DESK, "services": ids})
    assert response.status_code == 302
    assert _desk(app, 7) == {"id": _desk(app, 7)["id"], "number": 7, "name": "Quầy hỗ trợ VNeID",
                             "active": True, "services": ["payment", "vneid"]}
    with app.app_context():
        event = db.session.execute(db.select(AuditEvent).filter_by(action="desk.create")).scalar_one()
        assert event.target == "7" and "vneid" in event.detail


@pytest.mark.parametrize("field,value,message", [
    ("number", "", "Vui lòng nhập số quầy."),
    ("number", "0", "Số quầy từ 1 đến 999."),
    ("number", "1000", "Số quầy từ 1 đến 999."),
    ("number", "bảy", "Vui lòng nhập một số."),
    ("number", "2", "Số quầy 2 đã có. Hãy chọn số khác."),
    ("name", "", "Vui lòng nhập tên quầy."),
    ("name", "x" * 101, "Tên quầy tối đa 100 ký tự."),
    ("services", "999999", "Lựa chọn không hợp lệ."),
])
def test_bad_new_desk_is_refused_in_vietnamese(app, client, demo, login, field, value, message):
    login("admin")
    response = client.post("/admin/desks/new", data={**NEW_DESK, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'class="error"' in html
    assert count_rows(app, Desk) == 3 and count_rows(app, AuditEvent, action="desk.create") == 0


def test_edit_renames_renumbers_reassigns_and_closes(app, client, demo, login):
    login("admin")
    desk = _desk(app, 3)
    page = client.get(f"/admin/desks/{desk['id']}").get_data(as_text=True)
    assert 'value="Quầy 3"' in page and "Đang hoạt động" in page
    response = client.post(f"/admin/desks/{desk['id']}", data={
        "number": "30", "name": "Quầy lưu động", "services": _service_ids(app, "safety")})
    assert response.status_code == 302
    assert _desk(app, 3) is None
    changed = _desk(app, 30)
    assert changed["name"] == "Quầy lưu động" and changed["services"] == ["safety"]
    assert changed["active"] is False  # the box was not ticked
    assert count_rows(app, AuditEvent, action="desk.update") == 1


def test_renumber_to_a_used_number_is_refused_not_a_crash(app, client, demo, login):
    login("admin")
    desk = _desk(app, 3)
    response = client.post(f"/admin/desks/{desk['id']}", data={
        "number": "1", "name": "Quầy 3", "active": "y", "services": _service_ids(app, "vneid")})
    assert response.status_code == 400
    assert "Số quầy 1 đã có. Hãy chọn số khác." in response.get_data(as_text=True)
    assert _desk(app, 3) == desk and count_rows(app, AuditEvent, action="desk.update") == 0
    # Keeping its own number is fine.
    assert client.post(f"/admin/desks/{desk['id']}", data={
        "number": "3", "name": "Quầy ba", "active": "y"}).status_code == 302


def test_retired_services_stay_linked_when_a_desk_is_saved(app, client, demo, login):
    login("admin")
    desk = _desk(app, 1)
    apps_id, = _service_ids(app, "apps")
    assert client.post(f"/admin/services/{apps_id}/retire").status_code == 302
    page = client.get(f"/admin/desks/{desk['id']}").get_data(as_text=True)
    assert page.count('type="checkbox"') == 10 + 1  # ten services and the "active" box
    client.post(f"/admin/desks/{desk['id']}", data={
        "number": "1", "name": "Quầy 1", "active": "y", "services": _service_ids(app, "vneid")})
    assert _desk(app, 1)["services"] == ["apps", "vneid"]


def test_another_sites_admin_gets_404_and_changes_nothing(app, client, demo, other_admin):
    other_admin()
    desk = _desk(app, 1)
    assert client.get(f"/admin/desks/{desk['id']}").status_code == 404
    response = client.post(f"/admin/desks/{desk['id']}", data={"number": "9", "name": "Hack"})
    assert response.status_code == 404
    assert _desk(app, 1) == desk
    html = client.get("/admin/desks").get_data(as_text=True)
    assert html.count("<tr>") == 2  # the header and site B's only desk
    # Another site's services cannot be ticked; desk numbers are per site (B may have a desk 2).
    demo_vneid, = _service_ids(app, "vneid")
    refused = client.post("/admin/desks/new", data={"number": "2", "name": "B2",
                                                    "services": [demo_vneid]})
    assert refused.status_code == 400 and "Lựa chọn không hợp lệ." in refused.get_data(as_text=True)
    with app.app_context():
        b_vneid = db.session.execute(db.select(Service.id).where(
            Service.code == "vneid", Service.site.has(code="B"))).scalar_one()
    assert client.post("/admin/desks/new", data={"number": "2", "name": "B2",
                                                 "services": [b_vneid]}).status_code == 302
    assert _desk(app, 2, "B")["services"] == ["vneid"] and _desk(app, 2)["name"] == "Quầy 2"
