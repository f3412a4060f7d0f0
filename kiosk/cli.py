"""Flask commands: demo data, users, API tokens, kiosks."""
import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from kiosk.extensions import db

DEMO_SITE = ("DEMO", "Trung tâm Phục vụ hành chính công phường Hồng Bàng (demo)",
             "Số 1 đường Minh Khai, Hải Phòng")
DEMO_USERS = (
    ("admin", "admin", "Nguyễn Văn Quản", "admin-demo"),
    ("canbo", "officer", "Trần Thị Hương", "canbo-demo"),
    ("doanvien", "volunteer", "Lê Minh Tuấn", "doanvien-demo"),
    ("vhxh", "reporter", "Phạm Thu Trang", "vhxh-demo"),
    ("thanhpho", "city", "Đỗ Quang Huy", "thanhpho-demo"),
)


def _site_or_fail(code: str):
    from kiosk.queue.models import Site

    site = db.session.execute(db.select(Site).where(Site.code == code)).scalar_one_or_none()
    if site is None:
        raise click.ClickException(f"no site with code {code!r}")
    return site


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="do nothing when the database already has a site")
@with_appcontext
def seed_demo(if_empty):
    """Create the DEMO site, its services, 3 desks, the learning platforms and demo users."""
    from kiosk.admin.services import ensure_desks, ensure_site
    from kiosk.auth.models import User
    from kiosk.auth.services import create_user
    from kiosk.queue.models import Site

    if if_empty and db.session.execute(db.select(Site.id).limit(1)).first() is not None:
        click.echo("The database already has data: demo not seeded.")
        return
    code, name, address = DEMO_SITE
    site = ensure_site(code, name, address)
    ensure_desks(site, 3)
    for username, role, full_name, password in DEMO_USERS:
        exists = db.session.execute(
            db.select(User).where(User.username == username)).scalar_one_or_none()
        if exists is None:
            create_user(username, password, role, site.id, full_name).is_demo = True
    db.session.commit()
    click.echo(f"Site {code}: {name}")
    click.echo("Demo users (username / password / role):")
    for username, role, _full, password in DEMO_USERS:
        click.echo(f"  {username:<10} {password:<15} {role}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", required=True, help="admin, officer, volunteer, reporter or city")
@click.option("--site", "site_code", required=True, help="code of the user's site")
@click.option("--name", "full_name", default="", help="full name shown on screens")
def create_user_command(username, role, site_code, full_name):
    """Create a user; the password comes from standard input, or is prompted twice."""
    from kiosk.auth.models import ROLES
    from kiosk.auth.services import create_user

    if role not in ROLES:
        raise click.BadParameter(f"choose one of {', '.join(ROLES)}", param_hint="--role")
    site = _site_or_fail(site_code)
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(username, password, role, site.id, full_name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.username} at {site.code}")


@click.command("create-token")
@with_appcontext
@click.argument("username")
def create_token_command(username):
    """Create an API bearer token for a user; printed once, as the last line."""
    from kiosk.auth.models import User
    from kiosk.auth.services import create_api_token

    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    raw = create_api_token(user)
    db.session.commit()
    click.echo(f"API token for {username} (keep it secret, shown only once):")
    click.echo(raw)


@click.command("create-kiosk")
@with_appcontext
@click.option("--site", "site_code", required=True, help="code of the kiosk's site")
@click.option("--name", required=True, help="a name for the device, e.g. 'Kiosk sảnh'")
def create_kiosk_command(site_code, name):
    """Register a kiosk device; its token is printed once, as the last line."""
    from kiosk.touch.services import register_kiosk

    site = _site_or_fail(site_code)
    device, raw = register_kiosk(site.id, name)
    db.session.commit()
    click.echo(f"Kiosk #{device.id} '{device.name}' at {site.code}; token (shown only once):")
    click.echo(raw)


@click.command("purge-contacts")
@with_appcontext
def purge_contacts_command():
    """Erase consented contact details whose retention period has ended (run daily from cron)."""
    from kiosk.audit.services import record_event
    from kiosk.touch.services import erase_expired_contacts

    erased = erase_expired_contacts()
    record_event("contacts.purge", erased=erased)
    db.session.commit()
    click.echo(f"Erased {erased} expired contact record(s).")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    from kiosk.reports.bulk import seed_bulk_command
    from kiosk.reports.summary import rebuild_report_summary_command

    for command in (seed_demo, create_user_command, create_token_command, create_kiosk_command,
                    purge_contacts_command, seed_bulk_command, rebuild_report_summary_command):
        app.cli.add_command(command)
