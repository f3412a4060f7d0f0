"""The flask commands."""
from kiosk.extensions import db


def _count(app, model, **filters):
    with app.app_context():
        stmt = db.select(db.func.count()).select_from(model).filter_by(**filters)
        return db.session.execute(stmt).scalar_one()


def test_seed_demo_is_idempotent_and_complete(app, runner):
    from kiosk.auth.models import User
    from kiosk.platforms.models import LearningPlatform
    from kiosk.queue.models import Desk, Service, Site
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "admin-demo" in first.output and "vhxh-demo" in first.output
    assert _count(app, Site) == 1 and _count(app, Service) == 11 and _count(app, Desk) == 3
    assert _count(app, LearningPlatform) == 4 and _count(app, User) == 5
    with app.app_context():
        roles = set(db.session.execute(db.select(User.role)).scalars())
        assert roles == {"admin", "officer", "volunteer", "reporter", "city"}
        for desk in db.session.execute(db.select(Desk)).scalars():
            assert {s.code for s in desk.services} == {
                "vneid", "vneid-utils", "dvc-submit", "dvc-track", "payment", "apps",
                "account", "safety", "learning", "device", "other"}


def test_seed_demo_if_empty_skips_populated_database(app, runner):
    from kiosk.auth.models import User
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["create-user", "extra", "--role", "officer", "--site", "DEMO"],
                  input="a-good-password\n")
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "already has data" in result.output
    assert _count(app, User) == 6


def test_create_user_reads_password_from_stdin(app, runner):
    from kiosk.auth.models import User
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["create-user", "lan", "--role", "volunteer", "--site", "DEMO"],
                           input="mat-khau-dai\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="lan")).scalar_one()
        assert user.role == "volunteer" and user.check_password("mat-khau-dai")


def test_create_user_rejects_bad_input(app, runner):
    runner.invoke(args=["seed-demo"])
    bad_role = runner.invoke(args=["create-user", "x", "--role", "boss", "--site", "DEMO"],
                             input="long-enough\n")
    bad_site = runner.invoke(args=["create-user", "x", "--role", "officer", "--site", "NOPE"],
                             input="long-enough\n")
    short = runner.invoke(args=["create-user", "x", "--role", "officer", "--site", "DEMO"],
                          input="short\n")
    dup = runner.invoke(args=["create-user", "admin", "--role", "officer", "--site", "DEMO"],
                        input="long-enough\n")
    assert all(r.exit_code != 0 for r in (bad_role, bad_site, short, dup))
    assert "password refused" in short.output and "exists" in dup.output


def test_create_token_prints_token_last_and_stores_hash(app, runner):
    from kiosk.auth.models import ApiToken
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["create-token", "canbo"])
    raw = result.output.strip().splitlines()[-1]
    assert result.exit_code == 0 and raw.startswith("usr_") and len(raw) > 40
    with app.app_context():
        stored = db.session.execute(db.select(ApiToken)).scalar_one()
        assert stored.token_hash != raw and len(stored.token_hash) == 64
    assert runner.invoke(args=["create-token", "ghost"]).exit_code != 0


def test_create_kiosk_prints_token_last(app, runner):
    from kiosk.touch.models import KioskDevice
    from kiosk.touch.services import kiosk_for_token
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["create-kiosk", "--site", "DEMO", "--name", "Kiosk sảnh"])
    raw = result.output.strip().splitlines()[-1]
    assert result.exit_code == 0 and raw.startswith("kio_")
    with app.app_context():
        device = kiosk_for_token(raw)
        assert device is not None and device.name == "Kiosk sảnh"
        assert _count(app, KioskDevice) == 1
    assert runner.invoke(args=["create-kiosk", "--site", "NOPE", "--name", "x"]).exit_code != 0


def test_every_command_has_help(runner):
    for name in ("seed-demo", "create-user", "create-token", "create-kiosk"):
        result = runner.invoke(args=[name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_purge_contacts_erases_only_expired(app, runner):
    from datetime import timedelta
    from kiosk.queue.models import Contact, Site
    from kiosk.timeutil import utcnow
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        site_id = db.session.execute(db.select(Site.id)).scalar_one()
        for days in (-1, 5):
            db.session.add(Contact(site_id=site_id, name="A", phone="0912345678", consent_text="x",
                                   expires_at=utcnow() + timedelta(days=days)))
        db.session.commit()
    result = runner.invoke(args=["purge-contacts"])
    assert result.exit_code == 0 and "Erased 1" in result.output
    assert _count(app, Contact) == 1
