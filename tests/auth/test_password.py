"""Changing one's password: the policy, the forced change after a temporary password, sign-in audit."""
import json

import pytest

from kiosk.audit.models import AuditEvent
from kiosk.auth.models import User
from kiosk.extensions import db

GOOD = "Cay-xoai-sau-nha-2025"


def _user(app, username):
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        db.session.expunge(user)
        return user


def _events(app, action):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).filter_by(action=action)
                                  .order_by(AuditEvent.id)).scalars().all()


def _change(client, current, new, confirm=None):
    return client.post("/account/password", data={
        "current_password": current, "new_password": new,
        "confirm": new if confirm is None else confirm})


def test_policy_function(ctx):
    from kiosk.auth.services import password_problems
    assert password_problems(GOOD, "canbo") == []
    assert len(password_problems("ngan", "canbo")) == 1
    assert password_problems("CANBO-rat-dai-1", "canbo")
    assert password_problems("MatKhau123", "lan")  # common, whatever the case
    assert password_problems(GOOD, "lan", current=GOOD)


def test_page_needs_sign_in(client, demo):
    response = client.get("/account/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("current,new,confirm,message", [
    ("canbo-demo", "ngan-qua", None, "Mật khẩu phải có ít nhất 10 ký tự."),
    ("canbo-demo", "canbo-canbo-2025", None, "Mật khẩu không được chứa tên đăng nhập."),
    ("canbo-demo", "CanBo2025xyz", None, "Mật khẩu không được chứa tên đăng nhập."),
    ("canbo-demo", "matkhau123", None, "Mật khẩu này quá phổ biến"),
    ("canbo-demo", "QwertyUiop", None, "Mật khẩu này quá phổ biến"),
    ("canbo-demo", GOOD, GOOD + "x", "Hai lần nhập mật khẩu mới không khớp."),
    ("sai-mat-khau", GOOD, None, "Mật khẩu hiện tại không đúng."),
    ("", GOOD, None, "Vui lòng nhập mật khẩu hiện tại."),
    ("canbo-demo", "", "", "Vui lòng nhập mật khẩu mới."),
])
def test_bad_input_is_refused_and_nothing_stored(app, client, demo, login, current, new, confirm,
                                                 message):
    login("canbo")
    before = _user(app, "canbo").password_hash
    response = _change(client, current, new, confirm)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'class="error"' in html
    assert response.headers["Cache-Control"] == "no-store"
    after = _user(app, "canbo")
    assert after.password_hash == before and after.password_changed_at is None
    assert _events(app, "auth.password_change") == []


def test_new_must_differ_from_current(app, client, demo, login, runner):
    result = runner.invoke(args=["set-password", "canbo"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    client.post("/login", data={"username": "canbo", "password": GOOD})
    response = _change(client, GOOD, GOOD)
    assert response.status_code == 400
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in response.get_data(as_text=True)


def test_change_password_success(app, client, demo, login):
    login("canbo")
    response = _change(client, "canbo-demo", GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/console"
    user = _user(app, "canbo")
    assert user.password_changed_at is not None and not user.must_change_password
    [event] = _events(app, "auth.password_change")
    assert event.user_id == user.id and event.site_id == user.site_id
    client.post("/logout")
    assert client.post("/login", data={"username": "canbo", "password": "canbo-demo"}
                       ).status_code == 400
    assert client.post("/login", data={"username": "canbo", "password": GOOD}).status_code == 302


@pytest.fixture
def temporary(app, demo):
    """A new officer with a temporary password; returns (username, password)."""
    from kiosk.auth.accounts import create_account
    with app.app_context():
        site_id = db.session.execute(db.select(User.site_id).filter_by(username="admin")).scalar_one()
        _user_row, password = create_account(site_id, "lan.nguyen", "Nguyễn Thị Lan", "officer")
        db.session.commit()
    return "lan.nguyen", password


def test_temporary_password_forces_a_change(app, client, temporary):
    username, password = temporary
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    for path in ("/console", "/assists/mine", "/"):
        moved = client.get(path)
        assert moved.status_code == 302 and moved.headers["Location"] == "/account/password", path
    page = client.get("/account/password")
    assert page.status_code == 200 and "mật khẩu tạm thời" in page.get_data(as_text=True)
    assert client.get("/lang/en").status_code == 302
    assert client.get("/lang/en").headers["Location"] == "/"
    with client.get("/static/css/office.css") as static:
        assert static.status_code == 200
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.get_json()["error"]["code"] == "password_change_required"

    assert _change(client, password, GOOD).status_code == 302
    assert client.get("/console").status_code == 200
    assert client.get("/api/v1/me").get_json()["username"] == username
    assert not _user(app, username).must_change_password


def test_logout_is_allowed_with_a_temporary_password(app, client, temporary):
    username, password = temporary
    client.post("/login", data={"username": username, "password": password})
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/console").headers["Location"].startswith("/login")


def test_bearer_token_is_not_forced(app, client, runner, temporary):
    username, _password = temporary
    raw = runner.invoke(args=["create-token", username]).output.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and response.get_json()["username"] == username


def test_sign_in_is_audited_and_noted(app, client, demo):
    assert client.post("/login", data={"username": "canbo", "password": "canbo-demo"}
                       ).status_code == 302
    user = _user(app, "canbo")
    assert user.last_login_at is not None
    [login_event] = _events(app, "auth.login")
    assert (login_event.user_id, login_event.site_id, login_event.target) == (
        user.id, user.site_id, "canbo")
    client.post("/logout")
    [logout_event] = _events(app, "auth.logout")
    assert logout_event.user_id == user.id


def test_failed_sign_ins_are_audited_and_committed(app, client, demo):
    assert client.post("/login", data={"username": "canbo", "password": "nope-nope"}
                       ).status_code == 400
    long_name = "x" * 80
    assert client.post("/login", data={"username": long_name, "password": "nope"}
                       ).status_code == 400
    known, unknown = _events(app, "auth.login_failed")
    assert (known.target, known.site_id, known.user_id) == ("canbo", _user(app, "canbo").site_id,
                                                            None)
    assert (unknown.target, unknown.site_id, unknown.user_id) == ("x" * 64, None, None)
    assert "nope" not in json.dumps([known.detail, unknown.detail])
