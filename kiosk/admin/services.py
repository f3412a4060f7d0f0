"""Setting up sites and reference data; a site's settings. Flush, never commit."""
import json

from flask import current_app

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
    site.rating_scale = form.rating_scale.data
    record_event("site.settings", target=site.code, site_id=site.id,
                 policy=site.priority_policy, hours=site.opening_hours,
                 contact_retention_days=site.contact_retention_days,
                 report_period_basis=site.report_period_basis, rating_scale=site.rating_scale)
    db.session.flush()


def _serve_only(desk: Desk, chosen: list[Service]) -> None:
    """Let a desk serve the chosen active services; its links to retired ones stay for a restore."""
    desk.services = [*chosen, *(s for s in desk.services if not s.active and s not in chosen)]


def _site_services(site_id: int, ids: list[int]) -> list[Service]:
    return list(db.session.execute(db.select(Service).where(
        Service.site_id == site_id, Service.id.in_(ids or [])).order_by(Service.sort_order)).scalars())


def create_desk(site_id: int, form) -> Desk:
    """Add a desk (validated form) that serves the chosen services."""
    desk = Desk(site_id=site_id, number=form.number.data, name=form.name.data.strip(),
                services=_site_services(site_id, form.services.data))
    db.session.add(desk)
    db.session.flush()
    record_event("desk.create", target=str(desk.number), site_id=site_id, name=desk.name,
                 services=[s.code for s in desk.services])
    current_app.logger.info("Desk %s (%s) created at site %s", desk.number, desk.name, site_id)
    return desk


def update_desk(desk: Desk, form) -> None:
    """Rename, renumber, reassign or open/close a desk (validated form)."""
    before = desk.number
    desk.number = form.number.data
    desk.name = form.name.data.strip()
    desk.active = form.active.data
    _serve_only(desk, _site_services(desk.site_id, form.services.data))
    db.session.flush()
    record_event("desk.update", target=str(desk.number), site_id=desk.site_id, was=before,
                 name=desk.name, active=desk.active, services=[s.code for s in desk.services])
    current_app.logger.info("Desk %s (was %s) updated at site %s", desk.number, before, desk.site_id)


def _served_by(service: Service, desk_ids: list[int]) -> None:
    """Make exactly the chosen open desks serve a service; closed desks keep their links."""
    desks = db.session.execute(db.select(Desk).where(
        Desk.site_id == service.site_id, Desk.active.is_(True))).scalars()
    for desk in desks:
        serves = service in desk.services
        if desk.id in (desk_ids or []) and not serves:
            desk.services.append(service)
        elif desk.id not in (desk_ids or []) and serves:
            desk.services.remove(service)


def _apply_service_form(service: Service, form) -> None:
    service.prefix = form.prefix.data
    service.name_vi = form.name_vi.data.strip()
    service.name_en = form.name_en.data.strip()
    service.icon = form.icon.data
    service.sort_order = form.sort_order.data
    service.daily_cap = form.daily_cap.data


def create_service(site_id: int, form) -> Service:
    """Add a help category (validated form) and the desks that serve it."""
    service = Service(site_id=site_id, code=form.code.data, active=True)
    _apply_service_form(service, form)
    db.session.add(service)
    db.session.flush()
    _served_by(service, form.desks.data)
    db.session.flush()
    record_event("service.create", target=service.code, site_id=site_id, prefix=service.prefix,
                 daily_cap=service.daily_cap, desks=form.desks.data)
    current_app.logger.info("Service %s (%s) created at site %s", service.code, service.prefix,
                            site_id)
    return service


def update_service(service: Service, form) -> None:
    """Apply the service form (validated)."""
    _apply_service_form(service, form)
    _served_by(service, form.desks.data)
    db.session.flush()
    record_event("service.update", target=service.code, site_id=service.site_id,
                 prefix=service.prefix, daily_cap=service.daily_cap, desks=form.desks.data)
    current_app.logger.info("Service %s updated at site %s", service.code, service.site_id)


def set_service_active(service: Service, active: bool) -> None:
    """Retire a service (it leaves the kiosk at once; its history stays) or bring it back."""
    service.active = active
    db.session.flush()
    record_event("service.restore" if active else "service.retire", target=service.code,
                 site_id=service.site_id)
    current_app.logger.info("Service %s %s at site %s", service.code,
                            "restored" if active else "retired", service.site_id)


def restore_default_platforms(site: Site) -> list[LearningPlatform]:
    """Add back the default learning platforms a site lacks; return the ones added."""
    before = {p.code for p in db.session.execute(
        db.select(LearningPlatform).where(LearningPlatform.site_id == site.id)).scalars()}
    added = [p for p in ensure_platforms(site) if p.code not in before]
    for platform in added:
        record_event("platform.create", target=platform.code, site_id=site.id, url=platform.url,
                     default=True)
    current_app.logger.info("%s default platforms restored at site %s", len(added), site.code)
    return added
