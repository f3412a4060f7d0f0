"""Server-side sessions: sign-out, expiry, deactivation and password changes end them for good."""
import hashlib
from datetime import timedelta

from kiosk.auth.models import User, UserSession
from kiosk.extensions import db
from kiosk.timeutil import utcnow


def sign_in(app, username, remember=False):
    """Sign a demo user in on a new test client."""
    client = app.test_client()
    data = {"username": username, "password": f"{username}-demo"}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def with_cookie(app, name, value):
    """A new test client that holds only this cookie (a replay by someone who copied it)."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def user_id(app, username):
    with app.app_context():
        return db.session.execute(db.select(User.id).filter_by(username=username)).scalar_one()


def open_sessions(app, username):
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(UserSession).where(
            UserSession.user_id == user_id(app, username),
            UserSession.revoked_at.is_(None))).scalar_one()


def test_replayed_session_cookie_is_refused_after_logout(app, demo):
    client = sign_in(app, "canbo")
    cookie = client.get_cookie("session").value
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/logout").status_code == 302
    replay = with_cookie(app, "session", cookie)
    response = replay.get("/api/v1/me")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    page = replay.get("/console")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")


def test_replayed_remember_cookie_is_refused_after_logout(app, demo):
    client = sign_in(app, "canbo", remember=True)
    remember = client.get_cookie("remember_token").value
    assert with_cookie(app, "remember_token", remember).get("/api/v1/me").status_code == 200
    client.post("/logout")
    assert with_cookie(app, "remember_token", remember).get("/api/v1/me").status_code == 401


def test_remember_cookie_differs_per_sign_in_and_only_its_hash_is_stored(app, demo):
    first = sign_in(app, "canbo", remember=True).get_cookie("remember_token").value
    second = sign_in(app, "canbo", remember=True).get_cookie("remember_token").value
    assert first != second
    raw = first.split("|")[0]
    assert raw != str(user_id(app, "canbo"))
    with app.app_context():
        hashes = set(db.session.execute(db.select(UserSession.token_hash)).scalars())
    assert hashlib.sha256(raw.encode()).hexdigest() in hashes and raw not in hashes


def test_sessions_expire_on_the_server(app, demo):
    browser = sign_in(app, "canbo")
    remembered = sign_in(app, "doanvien", remember=True)
    remember = remembered.get_cookie("remember_token").value
    with app.app_context():
        rows = db.session.execute(db.select(UserSession)).scalars().all()
        lifetimes = {r.remember: r.expires_at - r.created_at for r in rows}
        assert lifetimes == {False: timedelta(hours=12), True: timedelta(hours=12)}
        for row in rows:
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert browser.get("/api/v1/me").status_code == 401
    assert remembered.get("/api/v1/me").status_code == 401
    assert with_cookie(app, "remember_token", remember).get("/api/v1/me").status_code == 401


def test_deactivation_ends_the_users_sessions(app, demo):
    canbo = sign_in(app, "canbo", remember=True)
    remember = canbo.get_cookie("remember_token").value
    admin = sign_in(app, "admin")
    assert admin.post(f"/admin/users/{user_id(app, 'canbo')}/toggle").status_code == 302
    assert canbo.get("/api/v1/me").status_code == 401
    assert with_cookie(app, "remember_token", remember).get("/api/v1/me").status_code == 401
    assert open_sessions(app, "canbo") == 0
    # Reactivating does not bring the old sessions back.
    admin.post(f"/admin/users/{user_id(app, 'canbo')}/toggle")
    assert canbo.get("/api/v1/me").status_code == 401


def test_password_reset_ends_the_users_sessions(app, demo):
    canbo = sign_in(app, "canbo")
    other = sign_in(app, "canbo")
    admin = sign_in(app, "admin")
    assert admin.post(f"/admin/users/{user_id(app, 'canbo')}/reset").status_code == 200
    assert canbo.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 401
    assert admin.get("/api/v1/me").status_code == 200  # nobody else's


def test_own_password_change_keeps_only_the_current_session(app, demo):
    here = sign_in(app, "canbo")
    elsewhere = sign_in(app, "canbo", remember=True)
    response = here.post("/account/password", data={
        "current_password": "canbo-demo", "new_password": "Cay-xoai-sau-nha-2025",
        "confirm": "Cay-xoai-sau-nha-2025"})
    assert response.status_code == 302
    assert here.get("/api/v1/me").status_code == 200
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert open_sessions(app, "canbo") == 1


def test_bearer_tokens_are_unchanged(app, client, demo, runner):
    raw = runner.invoke(args=["create-token", "vhxh"]).output.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and response.get_json()["username"] == "vhxh"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(UserSession)
                                  ).scalar_one() == 0


def test_last_seen_is_written_at_most_once_a_minute(app, demo):
    client = sign_in(app, "canbo")
    with app.app_context():
        row = db.session.execute(db.select(UserSession)).scalar_one()
        row.last_seen_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    assert client.get("/api/v1/me").status_code == 200
    with app.app_context():
        seen = db.session.execute(db.select(UserSession.last_seen_at)).scalar_one()
    assert utcnow() - seen < timedelta(seconds=30)
    client.get("/api/v1/me")
    with app.app_context():
        assert db.session.execute(db.select(UserSession.last_seen_at)).scalar_one() == seen


def test_signing_in_again_ends_this_browsers_previous_session(app, demo):
    client = sign_in(app, "canbo")
    old = client.get_cookie("session").value
    assert client.post("/login", data={"username": "doanvien",
                                       "password": "doanvien-demo"}).status_code == 302
    assert client.get("/api/v1/me").get_json()["username"] == "doanvien"
    assert with_cookie(app, "session", old).get("/api/v1/me").status_code == 401
