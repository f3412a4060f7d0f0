"""The voice pack: a closed vocabulary of clips, joined into one announcement per call."""
import functools
import hashlib
import re
from pathlib import Path

from flask import current_app

from kiosk.display.wavtools import Clip, chime, load_clip, wav_bytes

DEFAULT_PACK = Path(__file__).resolve().parent.parent.parent / "static" / "voice" / "default"

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# How a letter of a ticket prefix is read aloud (Vietnamese names of the Latin letters).
LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "E": "e", "F": "ép", "G": "giê", "H": "hát",
    "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o",
    "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}
# The words a desk number needs beyond its digits: 12 is "mười hai", 21 "hai mươi mốt",
# 25 "hai mươi lăm", 105 "một trăm linh năm".
NUMBER_WORDS = {"ten": "mười", "tens": "mươi", "one_after_tens": "mốt", "five_after_tens": "lăm",
                "hundred": "trăm", "zero_tens": "linh"}
# clip name -> the words it says (what espeak-ng reads, and what the admin screen shows)
VOCABULARY = {
    "chime": "",
    "call": "Mời số",
    "to_desk": "đến quầy số",
    **{f"digit_{d}": word for d, word in enumerate(DIGITS)},
    **NUMBER_WORDS,
    **{f"letter_{c.lower()}": word for c, word in LETTERS.items()},
}
NUMBER_RE = re.compile(r"^([A-Z])([0-9]{1,6})$")
SAFE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


def parse_number(number: str) -> tuple[str, str]:
    """Split a ticket label like "A012" into its letter and digits, or raise ValueError."""
    match = NUMBER_RE.match(number or "")
    if match is None:
        raise ValueError("number")
    return match.group(1), match.group(2)


def number_clips(n: int) -> list[str]:
    """Return the clips that read 1…999 as a Vietnamese number ("mười hai", "hai mươi mốt")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    clips = [f"digit_{hundreds}", "hundred"] if hundreds else []
    if tens == 0:
        if units:
            clips += (["zero_tens"] if hundreds else []) + [f"digit_{units}"]
        return clips
    clips += ["ten"] if tens == 1 else [f"digit_{tens}", "tens"]
    if units == 1 and tens > 1:
        clips.append("one_after_tens")
    elif units == 5:
        clips.append("five_after_tens")
    elif units:
        clips.append(f"digit_{units}")
    return clips


def clip_names(number: str, desk: int) -> list[str]:
    """Return the clips of a call, in order: chime, "Mời số", letter, digits one by one,
    "đến quầy số", the desk read as a number."""
    letter, digits = parse_number(number)
    if not isinstance(desk, int) or isinstance(desk, bool) or desk < 1 or desk > 999:
        raise ValueError("desk")
    return (["chime", "call", f"letter_{letter.lower()}"] + [f"digit_{d}" for d in digits]
            + ["to_desk"] + number_clips(desk))


def spoken_text(number: str, desk: int) -> str:
    """Return the words an announcement says: "Mời số A-không-một-hai đến quầy số 2"."""
    letter, digits = parse_number(number)
    spelled = "-".join([letter] + [DIGITS[int(d)] for d in digits])
    return f"Mời số {spelled} đến quầy số {desk}"


def site_pack_dir(site_code: str) -> Path:
    """Return the folder of a site's replaced clips (under the instance folder, not the database)."""
    if not SAFE_CODE.match(site_code):
        raise ValueError("site code")
    root = current_app.config.get("VOICEPACK_DIR") or Path(current_app.instance_path) / "voicepack"
    return Path(root) / site_code


def clip_path(site_code: str, name: str) -> tuple[Path, bool]:
    """Return the file for a clip and whether it is the site's own recording."""
    own = site_pack_dir(site_code) / f"{name}.wav"
    if own.exists():
        return own, True
    return DEFAULT_PACK / f"{name}.wav", False


def load_named(site_code: str, name: str) -> Clip:
    """Load one clip of a site's pack; the chime is synthesised if its file is missing."""
    path, _own = clip_path(site_code, name)
    if name == "chime" and not path.exists():
        return chime()
    return load_clip(path)


def announcement_parts(site_code: str, number: str, desk: int) -> list[Clip]:
    """Load the clips of one call from the site's pack, falling back to the default pack."""
    return [load_named(site_code, name) for name in clip_names(number, desk)]


def announcement_wav(site_code: str, number: str, desk: int) -> bytes:
    """Build the WAV file of one call."""
    return wav_bytes(announcement_parts(site_code, number, desk))


def pack_version(site_code: str) -> str:
    """Return a fingerprint of the clips a site's calls are made of: it changes when the site
    replaces a clip or an upgrade changes the default pack (the board's ?v=, so browsers do
    not replay a cached announcement made of the old clips)."""
    folder = site_pack_dir(site_code)
    stamps = sorted(f"{p.name}:{p.stat().st_mtime_ns}" for p in folder.glob("*.wav")) \
        if folder.is_dir() else []
    return hashlib.sha1("|".join([_default_stamp(), *stamps]).encode()).hexdigest()[:10]


@functools.cache
def _default_stamp() -> str:
    """Fingerprint the default pack (names and sizes; it only changes with the code)."""
    return "|".join(sorted(f"{p.name}:{p.stat().st_size}" for p in DEFAULT_PACK.glob("*.wav")))
