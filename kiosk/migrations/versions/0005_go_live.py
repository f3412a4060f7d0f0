"""go live: per-site settings and platforms, user account state, public holidays, audit index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 05:30:00

Self-contained: plain SQL and frozen values only, no import of the application.
"""
from alembic import op
import sqlalchemy as sa
from werkzeug.security import check_password_hash


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The demo accounts `seed-demo` created, with their published passwords (frozen here).
DEMO_ACCOUNTS = (("admin", "admin-demo"), ("canbo", "canbo-demo"), ("doanvien", "doanvien-demo"),
                 ("vhxh", "vhxh-demo"), ("thanhpho", "thanhpho-demo"))


def upgrade():
    bind = op.get_bind()
    # Plain ADD/DROP COLUMN, never a batch copy: SQLite cannot drop a table other rows refer to.
    op.add_column('site', sa.Column('contact_retention_days', sa.Integer(), nullable=False,
                                    server_default='90'))
    op.add_column('site', sa.Column('report_period_basis', sa.String(length=16), nullable=False,
                                    server_default='calendar'))
    # The global settings become every site's own value.
    settings = dict(bind.execute(sa.text("SELECT key, value FROM setting")).all())
    if settings.get('contact_retention_days', '').isdigit():
        bind.execute(sa.text("UPDATE site SET contact_retention_days = :v"),
                     {"v": int(settings['contact_retention_days'])})
    if settings.get('report_period_basis') in ('calendar', 'cutoff'):
        bind.execute(sa.text("UPDATE site SET report_period_basis = :v"),
                     {"v": settings['report_period_basis']})
    op.drop_table('setting')

    op.add_column('user', sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('user', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    op.add_column('user', sa.Column('password_changed_at', sa.DateTime(timezone=True),
                                    nullable=True))
    op.add_column('user', sa.Column('is_demo', sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    for username, password in DEMO_ACCOUNTS:
        row = bind.execute(sa.text('SELECT id, password_hash FROM "user" WHERE username = :u'),
                           {"u": username}).first()
        if row is not None and check_password_hash(row.password_hash, password):
            bind.execute(sa.text('UPDATE "user" SET is_demo = :t WHERE id = :id'),
                         {"t": True, "id": row.id})

    # Learning platforms belong to a site: the first site keeps the rows, the others get copies.
    with op.batch_alter_table('learning_platform', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_learning_platform_code', type_='unique')
    site_ids = [r.id for r in bind.execute(sa.text("SELECT id FROM site ORDER BY id"))]
    if site_ids:
        bind.execute(sa.text("UPDATE learning_platform SET site_id = :s"), {"s": site_ids[0]})
        for other in site_ids[1:]:
            bind.execute(sa.text(
                "INSERT INTO learning_platform (site_id, code, name, url, description_vi, "
                "description_en, sort_order, active) SELECT :s, code, name, url, description_vi, "
                "description_en, sort_order, active FROM learning_platform WHERE site_id = :first"),
                {"s": other, "first": site_ids[0]})
    else:
        bind.execute(sa.text("DELETE FROM learning_platform"))
    with op.batch_alter_table('learning_platform', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_learning_platform_site_id_code'),
                                          ['site_id', 'code'])
        batch_op.create_index(batch_op.f('ix_learning_platform_site_id'), ['site_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_learning_platform_site_id_site'), 'site',
                                    ['site_id'], ['id'])

    op.create_table('public_holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_public_holiday_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_holiday')),
    sa.UniqueConstraint('site_id', 'day', name=op.f('uq_public_holiday_site_id_day'))
    )
    with op.batch_alter_table('public_holiday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_holiday_site_id'), ['site_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_site_id_at', ['site_id', 'at'], unique=False)


def downgrade():
    bind = op.get_bind()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_site_id_at')
    with op.batch_alter_table('public_holiday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_holiday_site_id'))
    op.drop_table('public_holiday')

    first = bind.execute(sa.text("SELECT MIN(site_id) FROM learning_platform")).scalar()
    bind.execute(sa.text("DELETE FROM learning_platform WHERE site_id <> :s"), {"s": first or 0})
    with op.batch_alter_table('learning_platform', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_learning_platform_site_id_site'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_learning_platform_site_id'))
        batch_op.drop_constraint(batch_op.f('uq_learning_platform_site_id_code'), type_='unique')
        batch_op.create_unique_constraint('uq_learning_platform_code', ['code'])
        batch_op.drop_column('site_id')

    for column in ('is_demo', 'password_changed_at', 'must_change_password', 'last_login_at'):
        op.drop_column('user', column)

    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    row = bind.execute(sa.text(
        "SELECT contact_retention_days, report_period_basis FROM site ORDER BY id LIMIT 1")).first()
    if row is not None:
        bind.execute(sa.text("INSERT INTO setting (key, value) VALUES (:k, :v)"),
                     [{"k": "contact_retention_days", "v": str(row.contact_retention_days)},
                      {"k": "report_period_basis", "v": row.report_period_basis}])
    op.drop_column('site', 'report_period_basis')
    op.drop_column('site', 'contact_retention_days')
