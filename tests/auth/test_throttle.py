"""Sign-in throttling: growing waits, the account lock-out, the per-address limit, unknown names."""
from datetime import timedelta

import pytest

from kiosk.audit.models import AuditEvent
from kiosk.auth.models import LoginThrottle, User
from kiosk.extensions import db
from kiosk.timeutil import to_local, utcnow
from tests.conftest import count_rows


class Clock:
    """The throttle's notion of now, moved forward by the tests."""

    def __init__(self):
        self.now = utcnow()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("kiosk.auth.throttle.utcnow", lambda: clock.now)
    monkeypatch.setattr("kiosk.auth.queries.utcnow", lambda: clock.now)
    return clock


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def fail_until_locked(client, clock, username="canbo"):
    """Type wrong passwords, waiting out each delay, until the account is locked out."""
    for _ in range(50):
        response = sign_in(client, username, "sai-mat-khau")
        if response.status_code == 429:
            if "tạm khóa" in response.get_data(as_text=True):
                return response
            clock.advance(int(response.headers["Retry-After"]))
    raise AssertionError("never locked out")


def test_delay_grows_after_three_failures_and_refuses_without_sleeping(client, demo, clock):
    for _ in range(3):
        assert sign_in(client, "canbo", "sai-mat-khau").status_code == 400
    for expected in (2, 4, 8, 16):
        # Even the right password is refused while the wait lasts, at once, in Vietnamese.
        refused = sign_in(client, "canbo", "canbo-demo")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == str(expected)
        assert f"Thử lại sau {expected} giây" in refused.get_data(as_text=True)
        clock.advance(expected - 1)
        assert sign_in(client, "canbo", "sai-mat-khau").status_code == 429  # not yet
        clock.advance(1)
        assert sign_in(client, "canbo", "sai-mat-khau").status_code == 400
    clock.advance(32)
    assert sign_in(client, "canbo", "canbo-demo").status_code == 302
    with demo.app_context():  # a successful sign-in forgets the account's failures
        assert db.session.get(LoginThrottle, "user:canbo") is None


def test_delay_is_capped(app, ctx):
    from kiosk.auth.throttle import delay_after
    assert [delay_after(n, 3, 300) for n in (0, 2, 3, 4, 10, 50)] == [0, 0, 2, 4, 256, 300]


def test_failures_older_than_the_window_are_forgotten(client, demo, clock):
    for _ in range(3):
        sign_in(client, "canbo", "sai-mat-khau")
    assert sign_in(client, "canbo", "sai-mat-khau").status_code == 429
    clock.advance(16 * 60)
    assert sign_in(client, "canbo", "sai-mat-khau").status_code == 400
    with demo.app_context():
        assert db.session.get(LoginThrottle, "user:canbo").failures == 1


def test_lockout_holds_even_with_the_right_password_and_is_audited(client, demo, clock):
    locked = fail_until_locked(client, clock)
    assert "Thử lại sau 15 phút" in locked.get_data(as_text=True)
    with demo.app_context():
        event = db.session.execute(db.select(AuditEvent).filter_by(action="auth.locked_out")
                                   ).scalar_one()
        canbo = db.session.execute(db.select(User).filter_by(username="canbo")).scalar_one()
        assert event.target == "canbo" and event.site_id == canbo.site_id
    clock.advance(14 * 60)
    assert sign_in(client, "canbo", "canbo-demo").status_code == 429
    clock.advance(61)
    assert sign_in(client, "canbo", "canbo-demo").status_code == 302
    assert count_rows(demo, AuditEvent, action="auth.locked_out") == 1


def test_administrator_sees_the_lockout_and_lifts_it(app, client, demo, clock):
    fail_until_locked(client, clock)
    admin = app.test_client()
    assert sign_in(admin, "admin", "admin-demo", address="10.0.0.9").status_code == 302
    until = to_local(clock.now + timedelta(minutes=15)).strftime("%H:%M")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert page.count("Tạm khóa đến") == 1 and f"Tạm khóa đến {until}" in page
    with app.app_context():
        canbo_id = db.session.execute(db.select(User.id).filter_by(username="canbo")).scalar_one()
    assert f"/admin/users/{canbo_id}/unlock" in page
    response = admin.post(f"/admin/users/{canbo_id}/unlock")
    assert response.status_code == 302
    assert "Tạm khóa đến" not in admin.get("/admin/users").get_data(as_text=True)
    assert count_rows(app, AuditEvent, action="user.unlock", target="canbo") == 1
    # The account is open again (this test client's address still waits out its own delay).
    assert sign_in(client, "canbo", "canbo-demo", address="10.0.0.10").status_code == 302


def test_unlock_needs_an_administrator_of_the_site(app, client, demo, login, other_admin):
    with app.app_context():
        canbo_id = db.session.execute(db.select(User.id).filter_by(username="canbo")).scalar_one()
    login("doanvien")
    assert client.post(f"/admin/users/{canbo_id}/unlock").status_code == 403
    client.post("/logout")
    other_admin()
    assert client.post(f"/admin/users/{canbo_id}/unlock").status_code == 404


def test_one_address_is_limited_across_usernames(client, demo, clock):
    for n in range(10):
        assert sign_in(client, f"ai-do-{n}", "sai-mat-khau").status_code == 400
    refused = sign_in(client, "canbo", "canbo-demo")
    assert refused.status_code == 429 and "Thử lại sau 2 giây" in refused.get_data(as_text=True)
    # Another address is not held up, and neither is canbo's account itself.
    assert sign_in(client, "canbo", "canbo-demo", address="10.0.0.7").status_code == 302


def test_unknown_usernames_do_the_same_work(app, client, demo, clock, monkeypatch):
    import kiosk.auth.services as services

    checked = []
    real = services.check_password_hash

    def counting(stored, password):
        checked.append(stored)
        return real(stored, password)
    monkeypatch.setattr(services, "check_password_hash", counting)
    with app.app_context():
        canbo = db.session.execute(db.select(User).filter_by(username="canbo")).scalar_one()
        canbo.active = False
        db.session.commit()
    for username in ("khong-co-ai", "canbo", "doanvien"):
        assert sign_in(client, username, "sai-mat-khau").status_code == 400
    assert len(checked) == 3  # one hash check each: unknown, inactive and known users alike
    assert checked[0].startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    # The unknown name is throttled exactly like a real one, and a refusal checks no hash.
    for _ in range(2):
        sign_in(client, "khong-co-ai", "sai-mat-khau")
    refused = sign_in(client, "khong-co-ai", "sai-mat-khau")
    assert refused.status_code == 429 and "Thử lại sau 2 giây" in refused.get_data(as_text=True)
    assert len(checked) == 5


def test_failures_are_counted_atomically_in_one_row_per_key(app, demo, clock):
    from kiosk.auth.throttle import note_failure
    with app.test_request_context():
        for _ in range(4):
            note_failure("canbo", "192.0.2.1")
        db.session.commit()
        rows = {r.key: r.failures for r in db.session.execute(db.select(LoginThrottle)).scalars()}
    assert rows == {"user:canbo": 4, "ip:192.0.2.1": 4}
