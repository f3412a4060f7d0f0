"""The site's users: list, search, create with a one-time password, edit, reset, lock, delete."""
import json
import re
from datetime import date, time

import pytest

from kiosk.assists.models import Assist
from kiosk.audit.models import AuditEvent
from kiosk.auth.models import ApiToken, User
from kiosk.extensions import db
from kiosk.staff.models import DutyShift
from tests.conftest import count_rows

NEW = {"username": "lan.nguyen", "full_name": "Nguyễn Thị Lan", "role": "volunteer"}
OTHER_PASSWORD = "Khac-quan-tri-2025"


def _user(app, username):
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
        if user is not None:
            db.session.expunge(user)
        return user


def _actions(app):
    with app.app_context():
        return [(e.action, e.target, e.site_id) for e in db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action.like("user.%")).order_by(AuditEvent.id)
        ).scalars()]


def _shown_password(html):
    return re.search(r'id="temp-password">([^<]+)</output>', html).group(1)


@pytest.fixture
def member(app, demo):
    """A volunteer of DEMO with no history: its id."""
    from kiosk.auth.services import create_user
    with app.app_context():
        site_id = _user(app, "admin").site_id
        user = create_user("hoa.tran", "Hoa-tran-pass-2025", "volunteer", site_id, "Trần Thị Hoa")
        db.session.commit()
        return user.id


@pytest.fixture
def other_admin(app, client, runner, demo):
    """Sign in the administrator of a second site, KHAC."""
    from kiosk.auth.services import create_user
    assert runner.invoke(args=["create-site", "KHAC", "--name", "Trung tâm khác"]).exit_code == 0
    with app.app_context():
        site_id = db.session.execute(db.text("SELECT id FROM site WHERE code = 'KHAC'")).scalar_one()
        create_user("khac.admin", OTHER_PASSWORD, "admin", site_id, "Vũ Văn Khác")
        db.session.commit()
    assert client.post("/login", data={"username": "khac.admin", "password": OTHER_PASSWORD}
                       ).status_code == 302
    return client


def _routes(user_id):
    return [("get", "/admin/users"), ("get", "/admin/users/new"), ("post", "/admin/users/new"),
            ("get", f"/admin/users/{user_id}"), ("post", f"/admin/users/{user_id}"),
            ("post", f"/admin/users/{user_id}/reset"), ("post", f"/admin/users/{user_id}/toggle"),
            ("post", f"/admin/users/{user_id}/delete")]


@pytest.mark.parametrize("username", ["canbo", "doanvien", "vhxh", "thanhpho"])
def test_only_admins(app, client, login, member, username):
    login(username)
    before = _user(app, "hoa.tran")
    for method, path in _routes(member):
        assert getattr(client, method)(path, data=NEW).status_code == 403, (method, path)
    after = _user(app, "hoa.tran")
    assert (after.active, after.password_hash) == (before.active, before.password_hash)
    assert _user(app, "lan.nguyen") is None


def test_anonymous_goes_to_login(client, member):
    for method, path in _routes(member):
        response = getattr(client, method)(path, data=NEW)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_other_sites_admin_gets_404_and_changes_nothing(app, other_admin, member):
    before = _user(app, "hoa.tran")
    for method, path in _routes(member)[3:]:
        assert getattr(other_admin, method)(path, data=NEW).status_code == 404, (method, path)
    html = other_admin.get("/admin/users").get_data(as_text=True)
    assert "hoa.tran" not in html and "canbo" not in html and "khac.admin" in html
    after = _user(app, "hoa.tran")
    assert (after.active, after.password_hash, after.full_name, after.role) == (
        before.active, before.password_hash, before.full_name, before.role)
    assert _actions(app) == []


def test_list_shows_role_last_sign_in_and_search(app, client, login, member):
    login("admin")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Trần Thị Hoa" in html and "Đoàn viên tình nguyện" in html
    assert "Phòng Văn hóa – Xã hội" in html and "Chưa đăng nhập" in html
    with app.app_context():
        from kiosk.timeutil import to_local
        stamp = to_local(_user(app, "admin").last_login_at).strftime("%d/%m/%Y %H:%M")
    assert stamp in html
    found = client.get("/admin/users?q=Hoa").get_data(as_text=True)
    assert "hoa.tran" in found and "canbo" not in found
    assert "vhxh" in client.get("/admin/users?q=VHX").get_data(as_text=True)
    assert "Không có người dùng nào phù hợp." in client.get("/admin/users?q=%25_").get_data(
        as_text=True)


def test_create_shows_password_once(app, client, login, demo):
    login("admin")
    response = client.post("/admin/users/new", data=NEW)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    password = _shown_password(html)
    assert len(password) >= 10 and "Mật khẩu này chỉ hiện một lần" in html
    with client.session_transaction() as session:
        assert password not in json.dumps(dict(session), default=str)
    assert password not in client.get("/admin/users").get_data(as_text=True)
    user = _user(app, "lan.nguyen")
    assert user.must_change_password and user.role == "volunteer" and user.full_name == NEW["full_name"]
    assert user.site_id == _user(app, "admin").site_id and not user.is_demo
    assert _actions(app) == [("user.create", "lan.nguyen", user.site_id)]
    client.post("/logout")
    signed = client.post("/login", data={"username": "lan.nguyen", "password": password})
    assert signed.headers["Location"] == "/account/password"


@pytest.mark.parametrize("field,value,message", [
    ("username", "", "Vui lòng nhập tên đăng nhập."),
    ("username", "ab", "Tên đăng nhập gồm 3–64 ký tự"),
    ("username", "Lan.Nguyen", "Tên đăng nhập gồm 3–64 ký tự"),
    ("username", "lan nguyen", "Tên đăng nhập gồm 3–64 ký tự"),
    ("username", "nguyễn", "Tên đăng nhập gồm 3–64 ký tự"),
    ("username", "x" * 65, "Tên đăng nhập gồm 3–64 ký tự"),
    ("username", "canbo", "Tên đăng nhập này đã có người dùng."),
    ("full_name", "", "Vui lòng nhập họ và tên."),
    ("role", "city", "Vui lòng chọn một vai trò trong danh sách."),
    ("role", "boss", "Vui lòng chọn một vai trò trong danh sách."),
])
def test_create_bad_input(app, client, login, demo, field, value, message):
    login("admin")
    users_before = count_rows(app, User)
    response = client.post("/admin/users/new", data={**NEW, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'class="error"' in html
    assert count_rows(app, User) == users_before and _actions(app) == []


def test_role_choices_exclude_city(client, login, demo):
    login("admin")
    html = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="officer"' in html and 'value="city"' not in html


def test_edit_name_and_role(app, client, login, member):
    login("admin")
    response = client.post(f"/admin/users/{member}", data={"full_name": "Trần Hoa", "role": "officer"})
    assert response.status_code == 302
    user = _user(app, "hoa.tran")
    assert (user.full_name, user.role) == ("Trần Hoa", "officer")
    assert _actions(app) == [("user.update", "hoa.tran", user.site_id)]
    bad = client.post(f"/admin/users/{member}", data={"full_name": "", "role": "officer"})
    assert bad.status_code == 400 and "Vui lòng nhập họ và tên." in bad.get_data(as_text=True)
    assert _user(app, "hoa.tran").full_name == "Trần Hoa"


def test_city_user_keeps_role_but_none_is_promoted_to_city(app, client, login, member):
    login("admin")
    city = _user(app, "thanhpho")
    assert client.post(f"/admin/users/{city.id}", data={"full_name": "Đỗ Huy", "role": "city"}
                       ).status_code == 302
    assert client.post(f"/admin/users/{member}", data={"full_name": "Hoa", "role": "city"}
                       ).status_code == 400
    assert _user(app, "hoa.tran").role == "volunteer"


def test_admin_cannot_demote_or_lock_themselves(app, client, login, demo):
    login("admin")
    me = _user(app, "admin")
    demote = client.post(f"/admin/users/{me.id}", data={"full_name": "X", "role": "officer"})
    assert demote.status_code == 400
    assert "Bạn không thể tự bỏ quyền quản trị của mình." in demote.get_data(as_text=True)
    lock = client.post(f"/admin/users/{me.id}/toggle", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in lock.get_data(as_text=True)
    after = _user(app, "admin")
    assert (after.role, after.active, after.full_name) == ("admin", True, me.full_name)
    assert _actions(app) == []


def test_reset_password(app, client, login, member):
    login("admin")
    response = client.post(f"/admin/users/{member}/reset")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = _shown_password(response.get_data(as_text=True))
    user = _user(app, "hoa.tran")
    assert user.must_change_password and user.password_changed_at is not None
    assert _actions(app) == [("user.password_reset", "hoa.tran", user.site_id)]
    client.post("/logout")
    assert client.post("/login", data={"username": "hoa.tran", "password": "Hoa-tran-pass-2025"}
                       ).status_code == 400
    assert client.post("/login", data={"username": "hoa.tran", "password": password}
                       ).headers["Location"] == "/account/password"


def test_deactivate_and_reactivate(app, client, login, member):
    login("admin")
    assert client.post(f"/admin/users/{member}/toggle").status_code == 302
    assert not _user(app, "hoa.tran").active
    assert client.post(f"/admin/users/{member}/toggle").status_code == 302
    assert _user(app, "hoa.tran").active
    site_id = _user(app, "admin").site_id
    assert _actions(app) == [("user.deactivate", "hoa.tran", site_id),
                             ("user.reactivate", "hoa.tran", site_id)]


def test_deactivated_user_cannot_sign_in(app, client, login, member):
    login("admin")
    client.post(f"/admin/users/{member}/toggle")
    client.post("/logout")
    assert client.post("/login", data={"username": "hoa.tran", "password": "Hoa-tran-pass-2025"}
                       ).status_code == 400


def test_delete_removes_shifts_and_tokens(app, client, login, runner, member):
    runner.invoke(args=["create-token", "hoa.tran"])
    with app.app_context():
        site_id = _user(app, "admin").site_id
        db.session.add(DutyShift(site_id=site_id, user_id=member, weekday=0, start=time(7, 30),
                                 end=time(11, 30)))
        db.session.commit()
    login("admin")
    assert client.post(f"/admin/users/{member}/delete").status_code == 302
    assert _user(app, "hoa.tran") is None
    assert count_rows(app, DutyShift) == 0 and count_rows(app, ApiToken) == 0
    assert _actions(app) == [("user.delete", "hoa.tran", site_id)]


def test_user_with_assists_is_never_deleted(app, client, login, member):
    with app.app_context():
        site_id = _user(app, "admin").site_id
        db.session.add(Assist(site_id=site_id, visit_key="v1", helper_id=member, category="vneid",
                              local_day=date(2026, 1, 5)))
        db.session.commit()
    login("admin")
    page = client.get(f"/admin/users/{member}").get_data(as_text=True)
    assert "Xóa người dùng" not in page
    response = client.post(f"/admin/users/{member}/delete", follow_redirects=True)
    assert "Không thể xóa người dùng đã có lượt hỗ trợ" in response.get_data(as_text=True)
    assert _user(app, "hoa.tran") is not None and _actions(app) == []


def test_user_who_signed_in_is_not_deleted(app, client, login, demo):
    login("canbo")
    client.post("/logout")
    login("admin")
    canbo = _user(app, "canbo")
    client.post(f"/admin/users/{canbo.id}/delete")
    assert _user(app, "canbo") is not None


def test_demo_banner_for_admin_and_demo_user(app, client, login, demo):
    login("admin")
    html = client.get("/admin").get_data(as_text=True)
    assert 'class="demo-banner" role="alert"' in html and 'href="/admin/users"' in html
    client.post("/logout")
    login("canbo")
    html = client.get("/console").get_data(as_text=True)
    assert 'class="demo-banner"' in html and 'href="/account/password"' in html
    client.post("/logout")
    assert "demo-banner" not in client.get("/login").get_data(as_text=True)


def test_demo_banner_goes_when_every_demo_password_changed(app, client, login, demo):
    from kiosk.cli import DEMO_USERS
    new = "Mot-mat-khau-rieng-2025"
    for number, (username, _role, _name, password) in enumerate(DEMO_USERS):
        login(username)
        page = client.get("/reports" if username in ("vhxh", "thanhpho") else "/console"
                          if username != "admin" else "/admin")
        assert "demo-banner" in page.get_data(as_text=True), username
        assert client.post("/account/password", data={
            "current_password": password, "new_password": f"{new}-{number}",
            "confirm": f"{new}-{number}"}).status_code == 302
        client.post("/logout")
    client.post("/login", data={"username": "admin", "password": f"{new}-0"})
    assert "demo-banner" not in client.get("/admin").get_data(as_text=True)


def test_demo_banner_goes_after_retire_demo(app, client, runner, member):
    from kiosk.auth.services import create_user
    with app.app_context():
        create_user("quantri", "Quan-tri-that-2025", "admin", _user(app, "admin").site_id)
        db.session.commit()
    client.post("/login", data={"username": "quantri", "password": "Quan-tri-that-2025"})
    assert "demo-banner" in client.get("/admin/users").get_data(as_text=True)
    assert runner.invoke(args=["retire-demo"]).exit_code == 0
    assert "demo-banner" not in client.get("/admin/users").get_data(as_text=True)
