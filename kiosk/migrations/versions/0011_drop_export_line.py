"""drop export_line: the CSV export renders its lines from the log as it streams

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00

Self-contained: plain DDL. The stored copy of every live assist's CSV line (about 290 bytes an
assist, three statements on every write) is no longer read: SQLite renders a commune's year
in a fraction of a second and PostgreSQL renders a city's year itself (BENCHMARKS.md).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_export_line_site_day', table_name='export_line')
    op.drop_index('ix_export_line_day', table_name='export_line')
    op.drop_table('export_line')


def downgrade():
    # Back empty, as 0004 made it: the older release's upgrade step (migrations/env.py, at its
    # head revision) renders the lines of the log into it.
    op.create_table('export_line',
    sa.Column('assist_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assist_id'], ['assist.id'], name=op.f('fk_export_line_assist_id_assist'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_export_line_site_id_site')),
    sa.PrimaryKeyConstraint('assist_id', name=op.f('pk_export_line'))
    )
    op.create_index('ix_export_line_day', 'export_line', ['local_day', 'assist_id'])
    op.create_index('ix_export_line_site_day', 'export_line', ['site_id', 'local_day', 'assist_id'])
