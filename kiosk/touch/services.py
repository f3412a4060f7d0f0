"""Registering and recognising kiosk devices. Flush, never commit."""
import secrets
from datetime import timedelta

from flask import current_app, g, has_request_context
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete
from sqlalchemy.orm import joinedload

from kiosk.auth.services import hash_token
from kiosk.extensions import db
from kiosk.queue.models import Contact, Ticket
from kiosk.timeutil import utcnow
from kiosk.touch.models import KioskDevice

KIOSK_TOKEN_PREFIX = "kio_"
PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed


def register_kiosk(site_id: int, name: str) -> tuple[KioskDevice, str]:
    """Register a kiosk device; return it and its token (shown once, stored hashed)."""
    raw = KIOSK_TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = KioskDevice(site_id=site_id, name=name, token_hash=hash_token(raw))
    db.session.add(device)
    db.session.flush()
    return device, raw


def kiosk_for_token(raw: str) -> KioskDevice | None:
    """Return the unrevoked kiosk owning a token, with its site (looked up once per request:
    the CSRF check and the view both ask)."""
    if not raw or not raw.startswith(KIOSK_TOKEN_PREFIX):
        return None
    memo = g.setdefault("kiosks_by_token", {}) if has_request_context() else {}
    if raw not in memo:
        memo[raw] = db.session.execute(
            db.select(KioskDevice).options(joinedload(KioskDevice.site))
            .where(KioskDevice.token_hash == hash_token(raw), KioskDevice.revoked_at.is_(None))
        ).scalar_one_or_none()
    return memo[raw]


def _pairing_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="kiosk-pairing")


def pairing_cookie_value(device: KioskDevice) -> str:
    """Return the signed cookie value that makes a browser act as this kiosk."""
    return _pairing_serializer().dumps({"k": device.id, "t": device.token_hash[:16]})


def kiosk_for_cookie(value: str | None) -> KioskDevice | None:
    """Return the unrevoked kiosk named by a signed pairing cookie; None if forged or stale."""
    if not value:
        return None
    try:
        data = _pairing_serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("k"), int):
        return None
    device = db.session.get(KioskDevice, data["k"])
    if device is None or device.revoked_at is not None or device.token_hash[:16] != data.get("t"):
        return None
    return device


def start_pairing(device: KioskDevice, minutes: int = 15) -> str:
    """Give a kiosk a one-time pairing code, valid for a few minutes."""
    code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
    device.pairing_code = code
    device.pairing_expires_at = utcnow() + timedelta(minutes=minutes)
    db.session.flush()
    return code


def complete_pairing(code: str) -> KioskDevice | None:
    """Consume a pairing code; return its kiosk when the code is valid and unexpired."""
    code = (code or "").strip().upper()
    if not code:
        return None
    device = db.session.execute(
        db.select(KioskDevice).where(KioskDevice.pairing_code == code,
                                     KioskDevice.revoked_at.is_(None))
    ).scalar_one_or_none()
    if device is None or device.pairing_expires_at is None or device.pairing_expires_at < utcnow():
        return None
    device.pairing_code = None
    device.pairing_expires_at = None
    db.session.flush()
    return device


def revoke_kiosk(device: KioskDevice) -> None:
    """Stop a kiosk from issuing tickets (its token and paired cookies stop working)."""
    device.revoked_at = utcnow()
    device.pairing_code = None
    db.session.flush()


def record_contact(ticket: Ticket, name: str, phone: str, consent_text: str,
                   retention_days: int) -> Contact:
    """Keep a citizen's consented contact details apart from the statistics, with an expiry."""
    contact = Contact(site_id=ticket.site_id, ticket_id=ticket.id, name=name.strip(),
                      phone=phone, consent_text=consent_text,
                      expires_at=utcnow() + timedelta(days=retention_days))
    db.session.add(contact)
    db.session.flush()
    return contact


def erase_expired_contacts(now=None) -> int:
    """Delete the contact details whose retention period has ended; return how many."""
    result = db.session.execute(delete(Contact).where(Contact.expires_at <= (now or utcnow())))
    return result.rowcount


def erase_contact(contact: Contact) -> None:
    """Erase one contact now (called back, or the citizen asked to be forgotten)."""
    db.session.delete(contact)
    db.session.flush()
