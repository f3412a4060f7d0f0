"""re-render the CSV export's stored lines: ratings on their own scale, satisfaction_scale column

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 06:50:00

0007 moved stored ratings onto the scale the citizen saw and the coded CSV gained a last column
(satisfaction_scale), so every stored line is stale: they are emptied here (SQL only) and the
upgrade's last step (migrations/env.py, at the head revision) renders them again.
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM export_line")


def downgrade():
    op.execute("DELETE FROM export_line")  # the older code's lines: refilled at its own head
