"""Registering and recognising kiosk devices. Flush, never commit."""
import secrets

from kiosk.auth.services import hash_token
from kiosk.extensions import db
from kiosk.touch.models import KioskDevice

KIOSK_TOKEN_PREFIX = "kio_"


def register_kiosk(site_id: int, name: str) -> tuple[KioskDevice, str]:
    """Register a kiosk device; return it and its token (shown once, stored hashed)."""
    raw = KIOSK_TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = KioskDevice(site_id=site_id, name=name, token_hash=hash_token(raw))
    db.session.add(device)
    db.session.flush()
    return device, raw


def kiosk_for_token(raw: str) -> KioskDevice | None:
    """Return the unrevoked kiosk owning a token."""
    if not raw or not raw.startswith(KIOSK_TOKEN_PREFIX):
        return None
    return db.session.execute(
        db.select(KioskDevice).where(KioskDevice.token_hash == hash_token(raw),
                                     KioskDevice.revoked_at.is_(None))
    ).scalar_one_or_none()
