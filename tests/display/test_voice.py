"""The voice pack: a call's audio is the clips of its words, joined into one valid WAV."""
import io
import wave

import pytest
from flask import Flask

from kiosk.display import voice
from kiosk.display.wavtools import RATE, ClipError, clip_from_upload
from tests.display.conftest import make_wav


@pytest.fixture
def pack_app(tmp_path):
    """A bare app whose site recordings live in a temporary folder (no database needed)."""
    app = Flask(__name__)
    app.config["VOICEPACK_DIR"] = str(tmp_path)
    with app.app_context():
        yield app


def frames_of(path) -> int:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return wav.getnframes()


def test_call_audio_is_a_valid_wav_whose_length_is_the_sum_of_its_parts(pack_app):
    names = voice.clip_names("A012", 2)
    assert names == ["chime", "call", "letter_a", "digit_0", "digit_1", "digit_2", "to_desk",
                     "digit_2"]
    expected = sum(frames_of(voice.DEFAULT_PACK / f"{name}.wav") for name in names)

    data = voice.announcement_wav("DEMO", "A012", 2)

    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        assert wav.getnframes() == expected
        assert len(wav.readframes(wav.getnframes())) == expected * 2
    assert 2.0 < expected / RATE < 8.0  # a whole sentence, not a click
    assert voice.spoken_text("A012", 2) == "Mời số A-không-một-hai đến quầy số 2"


@pytest.mark.parametrize("desk,words", [
    (1, "một"), (9, "chín"), (10, "mười"), (11, "mười một"), (12, "mười hai"), (15, "mười lăm"),
    (20, "hai mươi"), (21, "hai mươi mốt"), (24, "hai mươi bốn"), (25, "hai mươi lăm"),
    (100, "một trăm"), (101, "một trăm linh một"), (105, "một trăm linh năm"),
    (110, "một trăm mười"), (111, "một trăm mười một"), (999, "chín trăm chín mươi chín")])
def test_desk_numbers_are_read_as_numbers(desk, words):
    """'đến quầy số mười hai', not 'một hai': the desk is a number, the ticket is spelled."""
    names = voice.clip_names("A012", desk)
    assert names[names.index("to_desk") + 1:] == voice.number_clips(desk)
    assert " ".join(voice.VOCABULARY[name] for name in voice.number_clips(desk)) == words


def test_default_pack_covers_the_vocabulary_and_stays_small():
    files = {p.stem for p in voice.DEFAULT_PACK.glob("*.wav")}
    assert files == set(voice.VOCABULARY)
    assert sum(p.stat().st_size for p in voice.DEFAULT_PACK.glob("*.wav")) < 2 * 1024 * 1024
    for path in voice.DEFAULT_PACK.glob("*.wav"):
        assert frames_of(path) > RATE // 10


def test_pack_version_follows_the_site_clips_and_the_default_pack(pack_app, tmp_path, monkeypatch):
    plain = voice.pack_version("DEMO")
    (tmp_path / "DEMO").mkdir()
    (tmp_path / "DEMO" / "call.wav").write_bytes(make_wav(seconds=0.4))
    own = voice.pack_version("DEMO")
    assert len(plain) == len(own) == 10 and plain != own
    assert voice.pack_version("OTHER") == plain
    monkeypatch.setattr(voice, "_default_stamp", lambda: "an older default pack")
    assert voice.pack_version("OTHER") != plain  # an upgrade's new clips change ?v=


def test_site_recording_replaces_a_default_clip(pack_app, tmp_path):
    (tmp_path / "DEMO").mkdir()
    own = clip_from_upload(make_wav(seconds=0.4, rate=48000, channels=2))
    from kiosk.display.wavtools import wav_bytes
    (tmp_path / "DEMO" / "call.wav").write_bytes(wav_bytes([own]))
    assert voice.clip_path("DEMO", "call") == (tmp_path / "DEMO" / "call.wav", True)
    assert voice.clip_path("OTHER", "call")[1] is False
    parts = voice.announcement_parts("DEMO", "B7", 1)
    assert parts[1].frames == own.frames
    data = voice.announcement_wav("DEMO", "B7", 1)
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert wav.getnframes() == sum(p.frames for p in parts)


@pytest.mark.parametrize("number, desk", [("", 1), ("a012", 1), ("AB12", 1), ("A", 1),
                                          ("A0123456", 1), ("A012", 0), ("A012", 1000)])
def test_bad_numbers_and_desks_are_refused(number, desk):
    with pytest.raises(ValueError):
        voice.clip_names(number, desk)


def test_upload_is_converted_to_mono_at_the_pack_rate():
    clip = clip_from_upload(make_wav(seconds=1.0, rate=44100, channels=2))
    assert abs(clip.frames - RATE) < RATE * 0.1  # about one second, after trimming


@pytest.mark.parametrize("data, code", [
    (b"not a wav file at all", "not_wav"),
    (make_wav(width=1), "not_16bit"),
    (make_wav(width=3), "not_16bit"),
    (make_wav(amplitude=0), "silent"),
    (make_wav(seconds=6), "too_long"),
])
def test_unusable_uploads_are_refused(data, code):
    with pytest.raises(ClipError) as caught:
        clip_from_upload(data)
    assert caught.value.code == code


def test_build_script_makes_the_pack_offline_with_espeak_ng(tmp_path):
    import shutil

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): SKIPPED")
    from kiosk.display.voicepack import build

    total = build(tmp_path)
    assert {p.stem for p in tmp_path.glob("*.wav")} == set(voice.VOCABULARY)
    assert total < 2 * 1024 * 1024
    assert all(frames_of(p) > 0 for p in tmp_path.glob("*.wav"))
