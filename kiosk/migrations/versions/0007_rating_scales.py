"""rating scales: each site's rating device scale; ratings stored with the scale they were given on

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14 09:00:00

Self-contained: plain SQL and frozen values only, no import of the application.

Before this revision the tablet and the phone showed three faces (Hài lòng / Bình thường /
Không hài lòng) and stored them as 5-level scores: happy 5, neutral 3, sad 1 (the old reference.FACES
of kiosk/assists/services.py's rate_ticket), so a citizen who tapped "Hài lòng" was reported as
"Rất hài lòng". Those scores become what the citizen saw: the 3-level scale, levels counting up
from the least satisfied word. A 4 or a 2 was never written by a face (only `seed-bulk`'s
synthetic 1–5 data holds them): such rows keep their number on the 5-level scale.

The reports' summaries key satisfaction by (scale, level); their rows are renamed the same way
(the mapping is one-to-one, so the counts stay exact without re-aggregating). The CSV export's
ready lines (export_line) still print the old number until `flask rebuild-report-summary`
re-renders them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Old 5-level score of a face -> level on the 3-level scale the face belonged to.
FACE_TO_LEVEL = {5: 3, 3: 2, 1: 1}
# Downgrade: each scale's level -> the 5-level score with the same (or, for 3, the old) word.
LEVEL_TO_SCORE = {3: {3: 5, 2: 3, 1: 1}, 4: {4: 5, 3: 4, 2: 2, 1: 1},
                  5: {5: 5, 4: 4, 3: 3, 2: 2, 1: 1}}
SUMMARIES = (('report_half', 'half'), ('report_month', 'month'))


def _case(column: str, mapping: dict) -> str:
    """Return a CASE expression mapping a column's integer values (frozen constants only)."""
    whens = " ".join(f"WHEN {old} THEN {new}" for old, new in mapping.items())
    return f"CASE {column} {whens} END"


def upgrade():
    # Plain ADD COLUMN, never a batch copy: SQLite cannot drop a table other rows refer to.
    op.add_column('site', sa.Column('rating_scale', sa.Integer(), nullable=False,
                                    server_default='3'))
    op.add_column('ticket', sa.Column('rating_scale', sa.Integer(), nullable=True))
    op.add_column('assist', sa.Column('satisfaction_scale', sa.Integer(), nullable=True))
    faces = ", ".join(str(score) for score in FACE_TO_LEVEL)
    for table, level, scale in (('ticket', 'rating', 'rating_scale'),
                                ('assist', 'satisfaction', 'satisfaction_scale')):
        op.execute(f"UPDATE {table} SET {scale} = 3, {level} = {_case(level, FACE_TO_LEVEL)} "
                   f"WHERE {level} IN ({faces})")
        op.execute(f"UPDATE {table} SET {scale} = 5 WHERE {level} IS NOT NULL AND {scale} IS NULL")
    for table, _span in SUMMARIES:
        op.execute(f"UPDATE {table} SET code = '3', number = {_case('number', FACE_TO_LEVEL)} "
                   f"WHERE dim = 'satisfaction' AND code = '' AND number IN ({faces})")
        op.execute(f"UPDATE {table} SET code = '5' WHERE dim = 'satisfaction' AND code = ''")


def downgrade():
    for table, level, scale in (('ticket', 'rating', 'rating_scale'),
                                ('assist', 'satisfaction', 'satisfaction_scale')):
        for size, mapping in LEVEL_TO_SCORE.items():
            op.execute(f"UPDATE {table} SET {level} = {_case(level, mapping)} "
                       f"WHERE {scale} = {size}")
    # Several (scale, level) rows may fall on one score: add them up under the old key.
    for table, span in SUMMARIES:
        score = " ".join(f"WHEN code = '{size}' AND number = {lvl} THEN {old}"
                         for size, mapping in LEVEL_TO_SCORE.items()
                         for lvl, old in mapping.items())
        score = f"CASE {score} END"
        op.execute(f"INSERT INTO {table} ({span}, site_id, dim, code, number, assists, amount) "
                   f"SELECT {span}, site_id, dim, '', {score}, SUM(assists), SUM(amount) "
                   f"FROM {table} WHERE dim = 'satisfaction' AND code <> '' "
                   f"GROUP BY {span}, site_id, dim, {score}")
        op.execute(f"DELETE FROM {table} WHERE dim = 'satisfaction' AND code <> ''")
    op.drop_column('assist', 'satisfaction_scale')
    op.drop_column('ticket', 'rating_scale')
    op.drop_column('site', 'rating_scale')
