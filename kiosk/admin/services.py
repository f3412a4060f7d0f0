"""Setting up sites and reference data; reading and writing settings. Flush, never commit."""
from kiosk import reference
from kiosk.admin.models import SETTING_DEFAULTS, Setting
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.queue.models import Desk, Service, Site


def ensure_site(code: str, name: str, address: str = "") -> Site:
    """Return the site with this code, creating it with the default services."""
    site = db.session.execute(db.select(Site).where(Site.code == code)).scalar_one_or_none()
    if site is None:
        site = Site(code=code, name=name, address=address)
        db.session.add(site)
        db.session.flush()
    ensure_default_services(site)
    return site


def ensure_default_services(site: Site) -> list[Service]:
    """Add any default service (PRODUCT.md §4) the site lacks; keep the administrator's edits."""
    existing = {s.code: s for s in db.session.execute(
        db.select(Service).where(Service.site_id == site.id)).scalars()}
    for order, (code, prefix, name_vi, name_en, icon) in enumerate(reference.SERVICES, start=1):
        if code not in existing:
            existing[code] = Service(site_id=site.id, code=code, prefix=prefix, name_vi=name_vi,
                                     name_en=name_en, icon=icon, sort_order=order * 10)
            db.session.add(existing[code])
    db.session.flush()
    return sorted(existing.values(), key=lambda s: s.sort_order)


def ensure_desks(site: Site, count: int) -> list[Desk]:
    """Make sure desks 1..count exist; new desks serve every service of the site."""
    desks = {d.number: d for d in db.session.execute(
        db.select(Desk).where(Desk.site_id == site.id)).scalars()}
    services = list(db.session.execute(
        db.select(Service).where(Service.site_id == site.id)).scalars())
    for number in range(1, count + 1):
        if number not in desks:
            desks[number] = Desk(site_id=site.id, number=number, name=f"Quầy {number}",
                                 services=list(services))
            db.session.add(desks[number])
    db.session.flush()
    return [desks[n] for n in sorted(desks)]


def ensure_platforms() -> list[LearningPlatform]:
    """Add any default learning platform that is missing."""
    existing = {p.code: p for p in db.session.execute(db.select(LearningPlatform)).scalars()}
    for order, (code, name, url, desc_vi, desc_en) in enumerate(reference.PLATFORMS, start=1):
        if code not in existing:
            existing[code] = LearningPlatform(code=code, name=name, url=url,
                                              description_vi=desc_vi, description_en=desc_en,
                                              sort_order=order * 10)
            db.session.add(existing[code])
    db.session.flush()
    return sorted(existing.values(), key=lambda p: p.sort_order)


def get_setting(key: str) -> str:
    """Return a setting's value, or its default."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else SETTING_DEFAULTS[key]


def set_setting(key: str, value: str) -> None:
    """Store a setting."""
    if key not in SETTING_DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
