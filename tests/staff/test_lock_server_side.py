"""The console lock lives on the server-side session: replaying a cookie cannot undo it."""
from datetime import timedelta

from kiosk.audit.models import AuditEvent
from kiosk.auth.models import UserSession
from kiosk.extensions import db
from kiosk.timeutil import utcnow
from tests.conftest import count_rows
from tests.staff.helpers import desk_ids


def replay(client, cookie):
    """Put a copied session cookie back into the browser."""
    client.set_cookie("session", cookie)


def test_replaying_a_cookie_from_before_the_lock_stays_locked(client, demo, login):
    login("canbo")
    desk = desk_ids(client)[0]
    client.get("/console")
    assert client.get(f"/api/v1/desks/{desk}/console?active=1").status_code == 200
    before = client.get_cookie("session").value
    assert client.post("/console/lock").status_code == 200
    replay(client, before)
    assert client.get(f"/api/v1/desks/{desk}/console?active=1").status_code == 423
    assert client.post(f"/api/v1/desks/{desk}/call-next").status_code == 423
    assert 'data-locked="1"' in client.get("/console").get_data(as_text=True)


def test_idle_lock_survives_a_replayed_cookie(client, demo, login):
    login("canbo")
    desk = desk_ids(client)[0]
    client.get("/console")
    before = client.get_cookie("session").value
    with demo.app_context():
        db.session.execute(db.update(UserSession).values(
            console_seen_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    replay(client, before)
    assert client.get(f"/api/v1/desks/{desk}/console?active=1").status_code == 423


def test_five_wrong_unlock_passwords_sign_out_even_when_the_cookie_is_replayed(client, demo,
                                                                             login):
    login("canbo")
    desk = desk_ids(client)[0]
    client.get("/console")
    client.post("/console/lock")
    locked = client.get_cookie("session").value
    for _ in range(4):
        replay(client, locked)
        wrong = client.post("/console/unlock", json={"password": "sai-mat-khau"})
        assert wrong.status_code == 403
    replay(client, locked)
    out = client.post("/console/unlock", json={"password": "sai-mat-khau"})
    assert out.status_code == 401 and out.get_json()["error"]["code"] == "signed_out"
    assert count_rows(demo, AuditEvent, action="auth.console_signed_out") == 1
    replay(client, locked)
    assert client.get("/api/v1/me").status_code == 401
    again = client.post("/console/unlock", json={"password": "canbo-demo"})
    assert again.status_code == 302 and again.headers["Location"].startswith("/login")
    assert client.get(f"/api/v1/desks/{desk}/console").status_code == 401
    assert client.get("/console").status_code == 302


def test_the_right_password_resets_the_count(client, demo, login):
    login("canbo")
    client.get("/console")
    client.post("/console/lock")
    for _ in range(4):
        assert client.post("/console/unlock", json={"password": "sai"}).status_code == 403
    assert client.post("/console/unlock", json={"password": "canbo-demo"}).status_code == 200
    client.post("/console/lock")
    for _ in range(4):
        assert client.post("/console/unlock", json={"password": "sai"}).status_code == 403
    assert client.post("/console/unlock", json={"password": "canbo-demo"}).status_code == 200


def test_lock_is_per_signed_in_browser(app, client, demo, login):
    login("canbo")
    desk = desk_ids(client)[0]
    client.get("/console")
    other = app.test_client()
    assert other.post("/login", data={"username": "canbo",
                                      "password": "canbo-demo"}).status_code == 302
    other.get("/console")
    client.post("/console/lock")
    assert client.get(f"/api/v1/desks/{desk}/console").status_code == 423
    assert other.get(f"/api/v1/desks/{desk}/console").status_code == 200
