"""live version: a per-site counter of changes to what the live screens show

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 08:00:00

Self-contained: plain ADD COLUMN. Every transaction that changes a site's queue, desks, services,
rota or log adds one to site.live_version when it commits (kiosk/queue/live.py); the board,
the phones, the kiosk and the console ask for their state with the version they have, and an
unchanged version is a 304 answered without reading the queue.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('site', sa.Column('live_version', sa.Integer(), nullable=False,
                                    server_default='0'))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+), never a batch copy of a table others refer to.
    op.drop_column('site', 'live_version')
