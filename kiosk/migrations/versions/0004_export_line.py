"""export_line: the CSV export's lines, rendered when assists are written

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_line',
    sa.Column('assist_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assist_id'], ['assist.id'], name=op.f('fk_export_line_assist_id_assist'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_export_line_site_id_site')),
    sa.PrimaryKeyConstraint('assist_id', name=op.f('pk_export_line'))
    )
    with op.batch_alter_table('export_line', schema=None) as batch_op:
        batch_op.create_index('ix_export_line_day', ['local_day', 'assist_id'], unique=False)
        batch_op.create_index('ix_export_line_site_day', ['site_id', 'local_day', 'assist_id'], unique=False)
    # Left empty: the upgrade's last step (migrations/env.py, at the head revision) renders the
    # lines of the log already there with the code of that revision.


def downgrade():
    with op.batch_alter_table('export_line', schema=None) as batch_op:
        batch_op.drop_index('ix_export_line_site_day')
        batch_op.drop_index('ix_export_line_day')
    op.drop_table('export_line')
