"""Import every feature's models so SQLAlchemy and Alembic see the whole schema, and name the
ones the live screens show (kiosk/queue/live.py)."""
from kiosk.assists.models import Assist, AssistTargetGroup  # noqa: F401
from kiosk.audit.models import AuditEvent  # noqa: F401
from kiosk.auth.models import ApiToken, User  # noqa: F401
from kiosk.platforms.models import LearningPlatform  # noqa: F401
from kiosk.queue.models import (  # noqa: F401
    Contact, Desk, PublicHoliday, Service, Site, Ticket, TicketCounter, TicketEvent,
)
from kiosk.staff.models import DutyShift  # noqa: F401
from kiosk.touch.models import KioskDevice  # noqa: F401
from kiosk.queue.live import register_live_models  # noqa: E402

# The live screens show these too: the console's counts of the log, the board's rota and names.
register_live_models(Assist, DutyShift, User)
