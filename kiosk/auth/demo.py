"""Retiring the demo: its accounts, and the demo site's data when it holds no real log."""
import logging

from kiosk.assists.models import Assist, AssistTargetGroup
from kiosk.audit.models import AuditEvent
from kiosk.auth.models import ApiToken, User, UserSession
from kiosk.auth.services import revoke_user_sessions
from kiosk.extensions import db
from kiosk.platforms.models import LearningPlatform
from kiosk.queue.models import (
    Contact, Desk, PublicHoliday, Service, Site, Ticket, TicketCounter, TicketEvent, desk_service,
)
from kiosk.reports.models import ReportHalf, ReportMonth
from kiosk.staff.models import DutyShift
from kiosk.touch.models import KioskDevice

log = logging.getLogger(__name__)


def deactivate_demo_users() -> int:
    """Deactivate every demo account; return how many were still active."""
    users = db.session.execute(
        db.select(User).where(User.is_demo.is_(True), User.active.is_(True))).scalars().all()
    for user in users:
        user.active = False
        revoke_user_sessions(user)
    db.session.flush()
    log.info("Deactivated %d demo account(s)", len(users))
    return len(users)


def real_log_count(site: Site) -> int:
    """Count the site's assists and served tickets that a non-demo user is behind (or nobody)."""
    demo_ids = db.select(User.id).where(User.is_demo.is_(True))
    # An assist is demo play only when a demo account helped and entered it (or nobody entered it).
    demo_play = (db.func.coalesce(Assist.helper_id, -1).in_(demo_ids)
                 & (Assist.entered_by_id.is_(None) | Assist.entered_by_id.in_(demo_ids)))
    assists = db.select(db.func.count()).select_from(Assist).where(
        Assist.site_id == site.id, ~demo_play)
    served = db.select(db.func.count()).select_from(Ticket).where(
        Ticket.site_id == site.id, Ticket.served_by_id.is_not(None),
        Ticket.served_by_id.not_in(demo_ids))
    return db.session.execute(assists).scalar_one() + db.session.execute(served).scalar_one()


def foreign_traces(site: Site) -> int:
    """Count rows of other sites that point at this site's users (they would block the delete)."""
    users = db.select(User.id).where(User.site_id == site.id)
    checks = (
        db.select(db.func.count()).select_from(Assist).where(
            Assist.site_id != site.id,
            Assist.helper_id.in_(users) | Assist.entered_by_id.in_(users)),
        db.select(db.func.count()).select_from(Ticket).where(
            Ticket.site_id != site.id, Ticket.served_by_id.in_(users)),
        db.select(db.func.count()).select_from(DutyShift).where(
            DutyShift.site_id != site.id, DutyShift.user_id.in_(users)),
    )
    return sum(db.session.execute(q).scalar_one() for q in checks)


def delete_site_data(site: Site) -> None:
    """Delete a site and everything that belongs to it, children before parents."""
    sid, code = site.id, site.code
    assists = db.select(Assist.id).where(Assist.site_id == sid)
    tickets = db.select(Ticket.id).where(Ticket.site_id == sid)
    desks = db.select(Desk.id).where(Desk.site_id == sid)
    users = db.select(User.id).where(User.site_id == sid)
    statements = (
        db.delete(AssistTargetGroup).where(AssistTargetGroup.assist_id.in_(assists)),
        db.delete(Assist).where(Assist.site_id == sid),
        db.delete(Contact).where(Contact.site_id == sid),
        db.delete(TicketEvent).where(TicketEvent.ticket_id.in_(tickets)),
        db.delete(TicketEvent).where(TicketEvent.site_id == sid),
        db.delete(Ticket).where(Ticket.site_id == sid),
        db.delete(TicketCounter).where(TicketCounter.site_id == sid),
        db.delete(ReportMonth).where(ReportMonth.site_id == sid),
        db.delete(ReportHalf).where(ReportHalf.site_id == sid),
        db.delete(DutyShift).where(DutyShift.site_id == sid),
        db.delete(DutyShift).where(DutyShift.user_id.in_(users)),
        db.delete(desk_service).where(desk_service.c.desk_id.in_(desks)),
        db.delete(Desk).where(Desk.site_id == sid),
        db.delete(Service).where(Service.site_id == sid),
        db.delete(LearningPlatform).where(LearningPlatform.site_id == sid),
        db.delete(KioskDevice).where(KioskDevice.site_id == sid),
        db.delete(PublicHoliday).where(PublicHoliday.site_id == sid),
        db.delete(ApiToken).where(ApiToken.user_id.in_(users)),
        db.delete(UserSession).where(UserSession.user_id.in_(users)),
        db.delete(AuditEvent).where(AuditEvent.site_id == sid),
        db.delete(AuditEvent).where(AuditEvent.user_id.in_(users)),
        db.delete(User).where(User.site_id == sid),
        db.delete(Site).where(Site.id == sid),
    )
    for statement in statements:
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.expunge_all()
    log.info("Deleted site %s and all its data", code)
