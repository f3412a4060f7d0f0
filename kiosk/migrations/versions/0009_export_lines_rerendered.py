"""re-render the CSV export's stored lines: ratings on their own scale, satisfaction_scale column

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 06:50:00

0007 moved stored ratings onto the scale the citizen saw and the coded CSV gained a last column
(satisfaction_scale), so every stored line is rendered again. Like 0004 this calls the
application's renderer (the lines are exactly what the app renders); making it self-contained is
part of the open "live paths" issue, which removes or freezes export_line.
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    from kiosk.reports.lines import rebuild_lines
    from kiosk.reports.summary import log_span
    span = log_span(op.get_bind())
    if span is not None:
        rebuild_lines(op.get_bind(), *span)


def downgrade():
    pass  # the older code renders its own lines again with `flask rebuild-report-summary`
