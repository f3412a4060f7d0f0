"""Setting up sites and reference data; a site's settings. Flush, never commit."""
import json

from kiosk import reference
from kiosk.audit.services import record_event
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.queue.hours import parse_hours
from kiosk.queue.models import Desk, Service, Site


def ensure_site(code: str, name: str, address: str = "") -> Site:
    """Return the site with this code, creating it with the default services and platforms."""
    site = db.session.execute(db.select(Site).where(Site.code == code)).scalar_one_or_none()
    if site is None:
        site = Site(code=code, name=name, address=address)
        db.session.add(site)
        db.session.flush()
    ensure_default_services(site)
    ensure_platforms(site)
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


def ensure_platforms(site: Site) -> list[LearningPlatform]:
    """Add any default learning platform (PRODUCT.md §4) that the site lacks."""
    existing = {p.code: p for p in db.session.execute(
        db.select(LearningPlatform).where(LearningPlatform.site_id == site.id)).scalars()}
    for order, (code, name, url, desc_vi, desc_en) in enumerate(reference.PLATFORMS, start=1):
        if code not in existing:
            existing[code] = LearningPlatform(site_id=site.id, code=code, name=name, url=url,
                                              description_vi=desc_vi, description_en=desc_en,
                                              sort_order=order * 10)
            db.session.add(existing[code])
    db.session.flush()
    return sorted(existing.values(), key=lambda p: p.sort_order)


def hours_to_text(opening_hours: str) -> dict[int, str]:
    """Return {weekday: "07:30-11:30, 13:30-17:00"} for the settings form."""
    return {day: ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in spans)
            for day, spans in parse_hours(opening_hours).items()}


def hours_from_text(per_day: dict[int, str]) -> str:
    """Store the form's per-day spans as the site's opening-hours JSON ("{}" = never open)."""
    out = {}
    for day, text in per_day.items():
        spans = [p.replace(" ", "").split("-") for p in (text or "").split(",") if p.strip()]
        if spans:
            out[str(day)] = spans
    return json.dumps(out)


def update_site_settings(site: Site, form) -> None:
    """Apply the site settings form (validated) to the site."""
    site.name = form.name.data.strip()
    site.priority_policy = form.priority_policy.data
    site.interleave_n = form.interleave_n.data
    site.noshow_after_recalls = form.noshow_after_recalls.data
    site.console_lock_minutes = form.console_lock_minutes.data
    site.ticker = (form.ticker.data or "").strip()
    if form.always_open.data:
        site.opening_hours = ""
    else:
        site.opening_hours = hours_from_text({d: f.data for d, f in enumerate(form.hour_fields())})
    site.contact_retention_days = form.contact_retention_days.data
    site.report_period_basis = form.report_period_basis.data
    record_event("site.settings", target=site.code, site_id=site.id,
                 policy=site.priority_policy, hours=site.opening_hours,
                 contact_retention_days=site.contact_retention_days,
                 report_period_basis=site.report_period_basis)
    db.session.flush()


def update_service(service: Service, form) -> None:
    """Apply the service form (validated)."""
    service.name_vi = form.name_vi.data.strip()
    service.name_en = form.name_en.data.strip()
    service.sort_order = form.sort_order.data
    service.daily_cap = form.daily_cap.data
    service.active = form.active.data
    record_event("service.update", target=service.code, site_id=service.site_id,
                 active=service.active, daily_cap=service.daily_cap)
    db.session.flush()
