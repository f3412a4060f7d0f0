"""The board's administration screen: who may use it, the ticker, the site's own recordings."""
import re
import io
import wave

import pytest

from kiosk.extensions import db
from tests.display.conftest import make_wav


@pytest.fixture
def voice_dir(app, tmp_path):
    """Keep uploaded recordings in a temporary folder instead of instance/."""
    app.config["VOICEPACK_DIR"] = str(tmp_path / "voicepack")
    return tmp_path / "voicepack" / "DEMO"


def upload(client, data: bytes, clip="call", filename="ghi-am.wav"):
    return client.post("/display/admin/voice", data={"clip": clip, "audio": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def ticker_of(app) -> str:
    from kiosk.queue.models import Site

    with app.app_context():
        return db.session.execute(db.select(Site.ticker).where(Site.code == "DEMO")).scalar_one()


@pytest.mark.parametrize("user, status", [(None, 302), ("canbo", 403), ("doanvien", 403),
                                          ("vhxh", 403), ("admin", 200)])
def test_only_administrators_see_the_screen(client, demo, login, user, status):
    if user:
        login(user)
    response = client.get("/display/admin")
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]
    if status == 403:
        assert client.post("/display/admin/ticker", data={"ticker": "x"}).status_code == 403
        assert upload(client, make_wav()).status_code == 403


def test_ticker_is_saved_and_audited(app, client, demo, login):
    from kiosk.audit.models import AuditEvent

    login("admin")
    page = client.get("/display/admin").get_data(as_text=True)
    assert "Dòng thông báo" in page and "Mời số" in page
    response = client.post("/display/admin/ticker",
                           data={"ticker": "  Nghỉ trưa   từ 11h30 đến 13h30. "})
    assert response.status_code == 302
    assert ticker_of(app) == "Nghỉ trưa từ 11h30 đến 13h30."
    assert "Đã lưu dòng thông báo." in client.get("/display/admin").get_data(as_text=True)
    with app.app_context():
        actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "display.ticker" in actions


def test_too_long_ticker_is_refused_next_to_the_field(app, client, demo, login):
    login("admin")
    response = client.post("/display/admin/ticker", data={"ticker": "x" * 501})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="ticker-error"' in page and "Dòng thông báo dài tối đa 500 ký tự." in page
    assert ticker_of(app) == ""


def test_recording_replaces_a_clip_and_can_be_reset(client, demo, login, voice_dir):
    login("admin")
    response = upload(client, make_wav(seconds=0.8, rate=44100, channels=2))
    assert response.status_code == 302
    with wave.open(str(voice_dir / "call.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
    assert not list(voice_dir.glob("*.part"))
    page = client.get("/display/admin").get_data(as_text=True)
    assert "Bản ghi của trung tâm" in page
    assert client.get("/display/admin/voice/call.wav").status_code == 200
    assert client.get("/display/admin/voice/nope.wav").status_code == 404

    assert client.post("/display/admin/voice/reset", data={"clip": "call"}).status_code == 302
    assert not (voice_dir / "call.wav").exists()
    assert client.post("/display/admin/voice/reset", data={"clip": "../x"}).status_code == 400


@pytest.mark.parametrize("data, filename, clip, message", [
    (b"hello", "ghi-am.wav", "call", "Tệp không phải là tệp WAV hợp lệ."),
    (make_wav(width=1), "ghi-am.wav", "call", "Tệp WAV phải là PCM 16-bit."),
    (make_wav(amplitude=0), "ghi-am.wav", "call", "Tệp ghi âm không có tiếng"),
    (make_wav(seconds=6), "ghi-am.wav", "call", "Đoạn ghi âm dài quá 5 giây."),
    (make_wav(), "ghi-am.mp3", "call", "Chỉ nhận tệp .wav."),
    (make_wav(), "ghi-am.wav", "letter_ă", "Đoạn ghi âm này không có trong danh sách."),
])
def test_bad_recording_changes_nothing(client, demo, login, voice_dir, data, filename, clip,
                                       message):
    login("admin")
    response = upload(client, data, clip=clip, filename=filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and 'class="field  has-error"' in page
    assert not voice_dir.exists() or not list(voice_dir.iterdir())


def test_missing_file_is_refused_in_vietnamese(client, demo, login, voice_dir):
    login("admin")
    response = client.post("/display/admin/voice", data={"clip": "call"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Vui lòng chọn một tệp WAV." in response.get_data(as_text=True)


def test_forms_need_a_csrf_token(app, demo, make_app):
    strict = make_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "test-secret",
                       "WTF_CSRF_ENABLED": True})
    client = strict.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"username": "admin", "password": "admin-demo",
                                       "csrf_token": token}).status_code == 302
    assert client.get("/display/admin").status_code == 200
    assert client.post("/display/admin/ticker", data={"ticker": "x"}).status_code == 400
    assert ticker_of(strict) == ""
