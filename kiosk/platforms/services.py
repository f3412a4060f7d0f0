"""Changing a site's learning platforms. Flush, never commit."""
from flask import current_app

from kiosk.audit.services import record_event
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.platforms.queries import site_platforms

FIELDS = ("code", "name", "url", "description_vi", "description_en", "sort_order", "active")


def _apply(platform: LearningPlatform, form) -> None:
    for name in FIELDS:
        value = getattr(form, name).data
        setattr(platform, name, value.strip() if isinstance(value, str) else value)


def create_platform(site_id: int, form) -> LearningPlatform:
    """Add a learning platform (validated form)."""
    platform = LearningPlatform(site_id=site_id)
    _apply(platform, form)
    db.session.add(platform)
    db.session.flush()
    record_event("platform.create", target=platform.code, site_id=site_id, url=platform.url,
                 active=platform.active)
    current_app.logger.info("Platform %s created at site %s", platform.code, site_id)
    return platform


def update_platform(platform: LearningPlatform, form) -> None:
    """Apply the platform form (validated)."""
    _apply(platform, form)
    db.session.flush()
    record_event("platform.update", target=platform.code, site_id=platform.site_id,
                 url=platform.url, active=platform.active, sort_order=platform.sort_order)
    current_app.logger.info("Platform %s updated at site %s", platform.code, platform.site_id)


def move_platform(platform: LearningPlatform, step: int) -> None:
    """Move a platform one place up (step -1) or down (+1); the site's order is renumbered 10, 20, …"""
    order = site_platforms(platform.site_id)
    at = order.index(platform)
    to = min(max(at + step, 0), len(order) - 1)
    if to == at:  # already first or last: nothing to record
        return
    order.insert(to, order.pop(at))
    for position, item in enumerate(order, start=1):
        item.sort_order = position * 10
    db.session.flush()
    record_event("platform.move", target=platform.code, site_id=platform.site_id,
                 position=to + 1)
    current_app.logger.info("Platform %s moved to place %s at site %s", platform.code, to + 1,
                            platform.site_id)


def toggle_platform(platform: LearningPlatform) -> None:
    """Show a hidden platform at the kiosk and on the board, or hide a shown one."""
    platform.active = not platform.active
    db.session.flush()
    record_event("platform.activate" if platform.active else "platform.deactivate",
                 target=platform.code, site_id=platform.site_id)
    current_app.logger.info("Platform %s %s at site %s", platform.code,
                            "shown" if platform.active else "hidden", platform.site_id)
