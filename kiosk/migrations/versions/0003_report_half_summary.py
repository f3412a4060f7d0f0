"""report_half summary (half-months: the cut-off basis is made of them); refill both summaries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_half',
    sa.Column('half', sa.Date(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('dim', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('assists', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_report_half_site_id_site')),
    sa.PrimaryKeyConstraint('half', 'site_id', 'dim', 'code', 'number', name=op.f('pk_report_half'))
    )
    # A month is now the sum of its halves: empty the months, and the upgrade's last step
    # (migrations/env.py, at the head revision) refills both summaries from the log.
    op.execute("DELETE FROM report_month")


def downgrade():
    op.drop_table('report_half')
