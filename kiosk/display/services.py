"""Changing what the board says: the ticker (database) and the site's voice clips (files)."""
import os
import tempfile

from kiosk.audit.services import record_event
from kiosk.display.voice import VOCABULARY, site_pack_dir
from kiosk.display.wavtools import clip_from_upload, wav_bytes
from kiosk.extensions import db
from kiosk.queue.live import touch_site
from kiosk.queue.models import Site


def set_ticker(site: Site, text: str) -> Site:
    """Replace a site's announcement ticker and audit it; flush, never commit."""
    site.ticker = " ".join(text.split())
    record_event("display.ticker", target=site.code, site_id=site.id, ticker=site.ticker)
    return site


def replace_clip(site: Site, name: str, data: bytes) -> None:
    """Store an uploaded recording as one of the site's clips, or raise ClipError (nothing kept)."""
    if name not in VOCABULARY:
        raise KeyError(name)
    wav = wav_bytes([clip_from_upload(data)])
    folder = site_pack_dir(site.code)
    folder.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a board never reads half a file.
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(wav)
    os.replace(tmp, folder / f"{name}.wav")
    record_event("display.voice_clip", target=site.code, site_id=site.id, clip=name)
    touch_site(db.session, site.id)  # the boards' voice version changed: their polls must see it


def reset_clip(site: Site, name: str) -> bool:
    """Go back to the default recording of a clip; tell whether there was one to remove."""
    if name not in VOCABULARY:
        raise KeyError(name)
    path = site_pack_dir(site.code) / f"{name}.wav"
    if not path.exists():
        return False
    path.unlink()
    record_event("display.voice_reset", target=site.code, site_id=site.id, clip=name)
    touch_site(db.session, site.id)
    return True
