"""tally groups: the rows of one tally share a tally_id, so it is corrected or deleted as one

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-15 09:00:00

Self-contained: plain SQL and frozen values only, no import of the application.

Before this revision a tally of N (field logging's tally mode, or `count` in the API) was N
rows with their own visit keys and nothing in common but who entered them and when: the same
`entered_by_id` and the very same `entered_at` (log_assists stamps one instant for all of them),
never a ticket. Those groups of more than one row get a tally_id built from their first row's
id ('legacy-<id>'); new tallies get a random hex id.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

GROUP = ("a2.ticket_id IS NULL AND a2.site_id = assist.site_id "
         "AND a2.entered_by_id = assist.entered_by_id AND a2.entered_at = assist.entered_at")


def upgrade():
    # Plain ADD COLUMN, never a batch copy: SQLite cannot drop a table other rows refer to.
    op.add_column('assist', sa.Column('tally_id', sa.String(length=32), nullable=True))
    op.create_index('ix_assist_tally_id', 'assist', ['tally_id'])
    # A helper index for the back-fill only: it makes the correlated look-ups seeks.
    op.create_index('ix_assist_tmp_0008', 'assist', ['entered_by_id', 'entered_at'])
    op.execute(
        "UPDATE assist SET tally_id = (SELECT 'legacy-' || CAST(MIN(a2.id) AS VARCHAR(20)) "
        f"FROM assist a2 WHERE {GROUP}) "
        "WHERE ticket_id IS NULL AND entered_by_id IS NOT NULL "
        f"AND (SELECT COUNT(*) FROM assist a2 WHERE {GROUP}) > 1")
    op.drop_index('ix_assist_tmp_0008', table_name='assist')


def downgrade():
    op.drop_index('ix_assist_tally_id', table_name='assist')
    op.drop_column('assist', 'tally_id')
