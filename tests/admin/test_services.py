"""Help categories: add, edit, retire and restore; the kiosk follows at once; own site only."""
import pytest

from kiosk import reference
from kiosk.audit.models import AuditEvent
from kiosk.extensions import db
from kiosk.queue.models import Desk, Service, Site, Ticket
from tests.conftest import count_rows

NEW = {"code": "bhyt", "prefix": "P", "name_vi": "Bảo hiểm y tế điện tử",
       "name_en": "e-health insurance", "icon": "health", "sort_order": "115", "daily_cap": ""}


def _service(app, code, site_code="DEMO"):
    """Return a plain snapshot of a service (None when absent)."""
    with app.app_context():
        s = db.session.execute(db.select(Service).where(
            Service.code == code, Service.site.has(code=site_code))).scalar_one_or_none()
        if s is None:
            return None
        desks = db.session.execute(db.select(Desk.number).where(
            Desk.services.contains(s)).order_by(Desk.number)).scalars().all()
        return {"id": s.id, "prefix": s.prefix, "name_vi": s.name_vi, "name_en": s.name_en,
                "icon": s.icon, "sort_order": s.sort_order, "daily_cap": s.daily_cap,
                "active": s.active, "desks": desks}


def _desk_ids(app, *numbers):
    with app.app_context():
        return db.session.execute(db.select(Desk.id).where(
            Desk.number.in_(numbers), Desk.site.has(code="DEMO"))).scalars().all()


ROUTES = [("get", "/admin/services"), ("get", "/admin/services/new"),
          ("post", "/admin/services/new"), ("get", "/admin/services/1"),
          ("post", "/admin/services/1"), ("post", "/admin/services/1/retire"),
          ("post", "/admin/services/1/restore")]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("user", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_other_roles_are_refused(app, client, demo, login, method, path, user):
    login(user)
    assert getattr(client, method)(path, data=NEW).status_code == 403
    assert _service(app, "vneid")["active"] is True and _service(app, "bhyt") is None


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_is_sent_to_sign_in(client, demo, method, path):
    response = getattr(client, method)(path, data=NEW)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_offered_icon_is_drawn(app):
    """The picker's list (reference.py) and the drawings (icons.html) agree."""
    with app.app_context():
        drawings = app.jinja_env.get_template("_macros/icons.html").module.paths
    assert set(reference.SERVICE_ICONS) <= set(drawings)
    assert {icon for *_rest, icon in reference.SERVICES} <= set(reference.SERVICE_ICONS)


def test_list_searches_without_marks(client, demo, login):
    login("admin")
    html = client.get("/admin/services").get_data(as_text=True)
    assert "vneid-utils" in html and "dvc-track" in html
    found = client.get("/admin/services?q=thanh toan").get_data(as_text=True)
    assert "<code>payment</code>" in found and "<code>vneid</code>" not in found
    assert "Không tìm thấy nội dung nào." in client.get(
        "/admin/services?q=khong-co").get_data(as_text=True)


def test_new_form_shows_icon_picker_with_words_and_all_desks_ticked(client, demo, login):
    login("admin")
    html = client.get("/admin/services/new").get_data(as_text=True)
    assert 'class="icon-picker"' in html and html.count('class="icon-choice"') == len(
        reference.SERVICE_ICONS)
    assert "<span>Sức khỏe</span>" in html and "<svg" in html
    assert html.count('name="desks"') == 3 and html.count('name="desks" type="checkbox" value') == 3
    assert html.count("checked") == 3


def test_add_service_with_desks_and_audit(app, client, demo, login):
    login("admin")
    response = client.post("/admin/services/new", data={
        **NEW, "code": " BHYT ", "prefix": "p", "daily_cap": "50", "desks": _desk_ids(app, 1, 3)})
    assert response.status_code == 302
    assert _service(app, "bhyt") == {
        "id": _service(app, "bhyt")["id"], "prefix": "P", "name_vi": "Bảo hiểm y tế điện tử",
        "name_en": "e-health insurance", "icon": "health", "sort_order": 115, "daily_cap": 50,
        "active": True, "desks": [1, 3]}
    with app.app_context():
        event = db.session.execute(db.select(AuditEvent).filter_by(
            action="service.create")).scalar_one()
        assert event.target == "bhyt" and event.site_id is not None


@pytest.mark.parametrize("field,value,message", [
    ("code", "", "Vui lòng nhập mã."),
    ("code", "a", "Mã dài từ 2 đến 32 ký tự."),
    ("code", "x" * 33, "Mã dài từ 2 đến 32 ký tự."),
    ("code", "bảo-hiểm", "Mã chỉ gồm chữ thường không dấu"),
    ("code", "bh yt", "Mã chỉ gồm chữ thường không dấu"),
    ("code", "vneid", "Mã này đã có"),
    ("prefix", "", "Vui lòng nhập chữ đầu số."),
    ("prefix", "PP", "Chữ đầu số là một chữ cái từ A đến Z."),
    ("prefix", "1", "Chữ đầu số là một chữ cái từ A đến Z."),
    ("prefix", "Đ", "Chữ đầu số là một chữ cái từ A đến Z."),
    ("prefix", "A", "Chữ A đã được dùng"),
    ("name_vi", "", "Vui lòng nhập tên."),
    ("name_en", "x" * 201, "Tên tối đa 200 ký tự."),
    ("icon", "", "Vui lòng chọn một biểu tượng."),
    ("icon", "rocket", "Vui lòng chọn một biểu tượng."),
    ("sort_order", "", "Từ 0 đến 10000."),
    ("sort_order", "-1", "Từ 0 đến 10000."),
    ("daily_cap", "0", "Từ 1 đến 999."),
    ("daily_cap", "1000", "Từ 1 đến 999."),
    ("daily_cap", "nhiều", "Vui lòng nhập một số."),
    ("desks", "abc", "Lựa chọn không hợp lệ."),
])
def test_bad_new_service_is_refused_in_vietnamese(app, client, demo, login, field, value, message):
    login("admin")
    response = client.post("/admin/services/new", data={**NEW, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'class="error"' in html
    assert count_rows(app, Service) == len(reference.SERVICES)
    assert count_rows(app, AuditEvent, action="service.create") == 0


def test_a_retired_services_letter_and_code_stay_taken(app, client, demo, login):
    login("admin")
    other = _service(app, "other")
    assert client.post(f"/admin/services/{other['id']}/retire").status_code == 302
    response = client.post("/admin/services/new", data={**NEW, "code": "other", "prefix": "N"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Mã này đã có" in html and "Chữ N đã được dùng" in html


def test_edit_changes_names_letter_icon_cap_and_desks(app, client, demo, login):
    login("admin")
    before = _service(app, "vneid")
    page = client.get(f"/admin/services/{before['id']}").get_data(as_text=True)
    assert 'name="code"' not in page
    assert '<input checked id="icon-0" name="icon" type="radio" value="id">' in page
    response = client.post(f"/admin/services/{before['id']}", data={
        "prefix": "V", "name_vi": "VNeID mức 2", "name_en": "VNeID level 2", "icon": "key",
        "sort_order": "5", "daily_cap": "40", "desks": _desk_ids(app, 2)})
    assert response.status_code == 302
    after = _service(app, "vneid")
    assert (after["prefix"], after["name_vi"], after["icon"], after["daily_cap"], after["desks"]) \
        == ("V", "VNeID mức 2", "key", 40, [2])
    assert count_rows(app, AuditEvent, action="service.update") == 1
    # Its own letter is not "taken" by itself.
    assert client.post(f"/admin/services/{before['id']}", data={
        "prefix": "V", "name_vi": "VNeID", "name_en": "VNeID", "icon": "id",
        "sort_order": "5"}).status_code == 302


def test_bad_edit_changes_nothing(app, client, demo, login):
    login("admin")
    before = _service(app, "vneid")
    response = client.post(f"/admin/services/{before['id']}", data={
        "prefix": "B", "name_vi": "Đổi", "name_en": "Changed", "icon": "id", "sort_order": "5"})
    assert response.status_code == 400 and "Chữ B đã được dùng" in response.get_data(as_text=True)
    assert _service(app, "vneid") == before
    assert count_rows(app, AuditEvent, action="service.update") == 0


def test_retired_service_leaves_the_kiosk_and_returns_after_restore(app, client, demo, login,
                                                                   paired, kiosk_token):
    kiosk = app.test_client()
    kiosk.set_cookie("kiosk_device", client.get_cookie("kiosk_device").value)
    client.delete_cookie("kiosk_device")
    login("admin")
    apps = _service(app, "apps")
    assert 'data-service="apps"' in kiosk.get("/kiosk").get_data(as_text=True)

    assert client.post(f"/admin/services/{apps['id']}/retire").status_code == 302
    assert _service(app, "apps")["active"] is False
    assert 'data-service="apps"' not in kiosk.get("/kiosk").get_data(as_text=True)
    assert kiosk.get("/kiosk/s/apps").status_code == 404
    assert kiosk.post("/kiosk/s/apps/p/0", data={"skip": "1"}).status_code == 404
    api = app.test_client()
    refused = api.post("/api/v1/tickets", json={"service": "apps"},
                       headers={"Authorization": f"Bearer {kiosk_token}"})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "unknown_service"
    assert count_rows(app, Ticket) == 0
    html = client.get("/admin/services").get_data(as_text=True)
    assert "Đã ngừng" in html and f"/admin/services/{apps['id']}/restore" in html

    assert client.post(f"/admin/services/{apps['id']}/restore").status_code == 302
    assert 'data-service="apps"' in kiosk.get("/kiosk").get_data(as_text=True)
    assert kiosk.post("/kiosk/s/apps/p/0", data={"skip": "1"}).status_code == 302
    assert count_rows(app, Ticket) == 1
    assert count_rows(app, AuditEvent, action="service.retire") == 1
    assert count_rows(app, AuditEvent, action="service.restore") == 1
    assert count_rows(app, Service) == len(reference.SERVICES)  # never deleted


def test_another_sites_admin_gets_404_and_changes_nothing(app, client, demo, other_admin):
    other_admin()
    vneid = _service(app, "vneid")
    assert client.get(f"/admin/services/{vneid['id']}").status_code == 404
    for path in ("", "/retire", "/restore"):
        response = client.post(f"/admin/services/{vneid['id']}{path}", data={
            **NEW, "prefix": "Z", "code": "vneid"})
        assert response.status_code == 404
    assert _service(app, "vneid") == vneid
    assert count_rows(app, AuditEvent, action="service.retire") == 0
    # Codes and letters are per site: B may add a service coded like one of DEMO's retired ones.
    with app.app_context():
        b_desk = db.session.execute(db.select(Desk.id).where(
            Desk.site.has(code="B"))).scalar_one()
        assert count_rows(app, Service, site_id=db.session.execute(
            db.select(Site.id).filter_by(code="B")).scalar_one()) == len(reference.SERVICES)
    assert client.post("/admin/services/new", data={**NEW, "desks": [b_desk]}).status_code == 302
    assert _service(app, "bhyt", "B")["desks"] == [1] and _service(app, "bhyt") is None
    demo_desk, = _desk_ids(app, 1)
    refused = client.post("/admin/services/new", data={**NEW, "code": "bhyt2", "prefix": "Q",
                                                       "desks": [demo_desk]})
    assert refused.status_code == 400


def test_numbers_given_before_retiring_are_still_called(app, client, demo, login):
    from kiosk.queue.services import call_next, issue_ticket
    with app.app_context():
        site = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
        apps = db.session.execute(db.select(Service).where(
            Service.site_id == site.id, Service.code == "apps")).scalar_one()
        label = issue_ticket(site, apps, False).label
        db.session.commit()
    login("admin")
    assert client.post(f"/admin/services/{_service(app, 'apps')['id']}/retire").status_code == 302
    with app.app_context():
        desk = db.session.execute(db.select(Desk).where(Desk.number == 1)).scalar_one()
        called = call_next(desk)
        db.session.commit()
        assert called is not None and called.label == label
