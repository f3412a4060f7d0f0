"""The factory, configuration layers, health check, error pages, language switch."""
import os

import pytest

from kiosk import create_app, normalise_database_url


def test_factory_has_no_side_effects(tmp_path):
    db_file = tmp_path / "never.sqlite3"
    create_app({"DATABASE_URL": f"sqlite:///{db_file}", "SECRET_KEY": "x"})
    assert not db_file.exists()


def test_config_order_defaults_instance_env_test(tmp_path, monkeypatch):
    import kiosk
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "KIOSK_RATE_PER_MINUTE = 7\nBABEL_DEFAULT_LOCALE = 'en'\nDATABASE_URL = 'sqlite:///a.db'\n")
    monkeypatch.setattr(kiosk, "ROOT", tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["KIOSK_RATE_PER_MINUTE"] == 7            # instance file over default
    assert app.config["BABEL_DEFAULT_LOCALE"] == "en"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"  # env over file
    monkeypatch.setenv("KIOSK_RATE_PER_MINUTE", "11")
    assert create_app().config["KIOSK_RATE_PER_MINUTE"] == 11  # env over instance file, typed
    assert create_app({"KIOSK_RATE_PER_MINUTE": 3}).config["KIOSK_RATE_PER_MINUTE"] == 3


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    import kiosk
    monkeypatch.setattr(kiosk, "ROOT", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == first and len(first) == 64
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    assert create_app().config["SECRET_KEY"] == first
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert create_app().config["SECRET_KEY"] == "from-env"


def test_normalise_database_url():
    assert normalise_database_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "public_url": "unset"}


def test_healthz_503_when_database_unreachable(make_app):
    app = make_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                    "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_landing_page_is_vietnamese_and_links_every_screen(client, demo):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Hỗ trợ người dân sử dụng dịch vụ số" in html
    for href in ("/kiosk", "/console", "/display?site=DEMO", "/reports", "/admin", "/field"):
        assert f'href="{href}' in html


def test_language_switch_is_remembered(client):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in" in html
    client.get("/lang/vi")
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_switch_refuses_offsite_next_and_unknown_language(client):
    response = client.get("/lang/fr?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


def test_404_page_in_vietnamese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Không tìm thấy trang." in response.get_data(as_text=True)


def test_api_404_is_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.own_app
def test_500_rolls_back_and_shows_vietnamese_page(app, client):
    from kiosk.extensions import db
    from kiosk.queue.models import Site

    @app.route("/boom", methods=["POST"])
    def boom():
        db.session.add(Site(code="HALF", name="half-written"))
        db.session.flush()
        raise RuntimeError("boom")

    response = client.post("/boom")
    assert response.status_code == 500
    assert "Dữ liệu chưa được lưu" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Site).where(Site.code == "HALF")).first() is None
