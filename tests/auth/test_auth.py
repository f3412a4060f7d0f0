"""Sign-in and out, roles, CSRF, bearer tokens."""
import pytest


def test_login_page_renders_vietnamese(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


def test_login_success_redirects_by_role(client, demo):
    response = client.post("/login", data={"username": "canbo", "password": "canbo-demo"})
    assert response.status_code == 302 and response.headers["Location"] == "/console"


def test_login_wrong_password_shows_error_next_to_field(client, demo):
    response = client.post("/login", data={"username": "canbo", "password": "nope-nope"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert client.get("/console").status_code == 302


def test_login_empty_fields_get_vietnamese_errors(client, demo):
    html = client.post("/login", data={}).get_data(as_text=True)
    assert "Vui lòng nhập tên đăng nhập." in html and "Vui lòng nhập mật khẩu." in html


@pytest.mark.parametrize("target,expected", [
    ("/reports", "/reports"),
    ("https://evil.example/x", "/console"),
    ("//evil.example/x", "/console"),
])
def test_login_next_is_safe(client, demo, target, expected):
    response = client.post(f"/login?next={target}",
                           data={"username": "canbo", "password": "canbo-demo"})
    assert response.headers["Location"] == expected


def test_logout(client, demo, login):
    login("canbo")
    assert client.get("/console").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/console").status_code == 302


def test_inactive_user_cannot_sign_in(app, client, demo):
    from kiosk.auth.models import User
    from kiosk.extensions import db
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="canbo")).scalar_one()
        user.active = False
        db.session.commit()
    response = client.post("/login", data={"username": "canbo", "password": "canbo-demo"})
    assert response.status_code == 400


@pytest.mark.parametrize("username,path,status", [
    ("admin", "/admin", 200), ("canbo", "/admin", 403), ("vhxh", "/admin", 403),
    ("canbo", "/console", 200), ("doanvien", "/console", 200), ("vhxh", "/console", 403),
    ("thanhpho", "/console", 403), ("vhxh", "/reports", 200), ("thanhpho", "/reports", 200),
    ("doanvien", "/reports", 403),
])
def test_role_matrix(client, demo, login, username, path, status):
    login(username)
    assert client.get(path).status_code == status


def test_anonymous_is_sent_to_login_with_next(client, demo):
    response = client.get("/admin")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_csrf_rejects_form_without_token(demo, database_url, make_app):
    app = make_app({"DATABASE_URL": database_url, "SECRET_KEY": "s"})
    client = app.test_client()
    response = client.post("/login", data={"username": "canbo", "password": "canbo-demo"})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    assert client.get("/console").status_code == 302


def test_csrf_accepts_form_with_token(demo, database_url, make_app):
    import re
    app = make_app({"DATABASE_URL": database_url, "SECRET_KEY": "s"})
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"username": "canbo", "password": "canbo-demo",
                                           "csrf_token": token})
    assert response.status_code == 302


def test_bearer_token_authenticates_api(client, demo, runner):
    out = runner.invoke(args=["create-token", "vhxh"]).output.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {out}"})
    assert response.status_code == 200
    assert response.get_json() == {"username": "vhxh", "role": "reporter", "site": "DEMO"}


def test_api_without_or_with_bad_token_is_json_401(client, demo):
    for headers in ({}, {"Authorization": "Bearer usr_wrong"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.is_json and response.get_json()["error"]["code"] == "unauthorized"


def test_revoked_token_is_refused(app, client, demo, runner):
    from kiosk.auth.models import ApiToken
    from kiosk.auth.services import revoke_token
    from kiosk.extensions import db
    raw = runner.invoke(args=["create-token", "vhxh"]).output.strip().splitlines()[-1]
    with app.app_context():
        revoke_token(db.session.execute(db.select(ApiToken)).scalar_one())
        db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_passwords_are_hashed_with_scrypt(app, demo):
    from kiosk.auth.models import User
    from kiosk.extensions import db
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="admin")).scalar_one()
        assert user.password_hash.startswith("scrypt:") and "admin-demo" not in user.password_hash


def me(client, raw):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def vhxh_token(runner, demo):
    return runner.invoke(args=["create-token", "vhxh"]).output.strip().splitlines()[-1]


def test_a_remembered_token_spares_its_lookup(app, client, vhxh_token, monkeypatch):
    from sqlalchemy import event

    from kiosk.auth import services
    from kiosk.extensions import db
    monkeypatch.setattr(services, "TOKEN_MEMO_SECONDS", 60)
    assert me(client, vhxh_token).status_code == 200
    seen = []
    with app.app_context():
        engine = db.engine
    note = lambda _c, _cur, sql, *_a: seen.append(sql)  # noqa: E731
    event.listen(engine, "before_cursor_execute", note)
    try:
        again = me(client, vhxh_token)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert again.get_json() == {"username": "vhxh", "role": "reporter", "site": "DEMO"}
    assert not any("api_token" in sql for sql in seen)


@pytest.mark.parametrize("change", ["revoke", "deactivate"])
def test_a_remembered_token_is_refused_at_once_after_a_change_here(app, client, vhxh_token,
                                                                  monkeypatch, change):
    from kiosk.auth import services
    from kiosk.auth.models import ApiToken, User
    from kiosk.extensions import db
    monkeypatch.setattr(services, "TOKEN_MEMO_SECONDS", 60)
    assert me(client, vhxh_token).status_code == 200
    with app.app_context():
        if change == "revoke":
            services.revoke_token(db.session.execute(db.select(ApiToken)).scalar_one())
        else:
            db.session.execute(db.select(User).filter_by(username="vhxh")).scalar_one().active = False
        db.session.commit()
    assert me(client, vhxh_token).status_code == 401


def test_a_change_made_by_another_process_is_seen_when_the_memo_lapses(app, client, vhxh_token,
                                                                      monkeypatch):
    from sqlalchemy import text

    from kiosk.auth import services
    from kiosk.extensions import db
    monkeypatch.setattr(services, "TOKEN_MEMO_SECONDS", 60)
    assert me(client, vhxh_token).status_code == 200
    with app.app_context():  # as another worker would: SQL that this process's session never sees
        db.session.execute(text("UPDATE api_token SET revoked_at = CURRENT_TIMESTAMP"))
        db.session.commit()
    assert me(client, vhxh_token).status_code == 200  # remembered (60 s here, 0.5 s in service)
    monkeypatch.setattr(services, "TOKEN_MEMO_SECONDS", 0)
    assert me(client, vhxh_token).status_code == 401


def test_a_remembered_token_is_refused_at_once_after_a_bulk_delete_here(app, client, vhxh_token,
                                                                       monkeypatch):
    from kiosk.auth import services
    from kiosk.auth.models import ApiToken
    from kiosk.extensions import db
    monkeypatch.setattr(services, "TOKEN_MEMO_SECONDS", 60)
    assert me(client, vhxh_token).status_code == 200
    with app.app_context():  # as an account's or a site's deletion does: no object flushed
        db.session.execute(db.delete(ApiToken).execution_options(synchronize_session=False))
        db.session.commit()
    assert me(client, vhxh_token).status_code == 401
