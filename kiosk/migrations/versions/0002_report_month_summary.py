"""report_month summary of the assist log; partial indexes for exact percentiles

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

LIVE = sa.text('deleted_at IS NULL')


def upgrade():
    op.create_table('report_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('dim', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('assists', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_report_month_site_id_site')),
    sa.PrimaryKeyConstraint('month', 'site_id', 'dim', 'code', 'number', name=op.f('pk_report_month'))
    )
    with op.batch_alter_table('assist', schema=None) as batch_op:
        batch_op.create_index('ix_assist_wait_live', ['wait_seconds', 'local_day', 'site_id'],
                              unique=False, sqlite_where=LIVE, postgresql_where=LIVE)
        batch_op.create_index('ix_assist_service_live', ['service_seconds', 'local_day', 'site_id'],
                              unique=False, sqlite_where=LIVE, postgresql_where=LIVE)
    # Filled by 0003, which adds the half-month summary that the months are now summed from
    # (the fill code of today's app writes both tables).


def downgrade():
    with op.batch_alter_table('assist', schema=None) as batch_op:
        batch_op.drop_index('ix_assist_service_live')
        batch_op.drop_index('ix_assist_wait_live')
    op.drop_table('report_month')
