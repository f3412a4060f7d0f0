"""Flask commands: demo data, sites, users, passwords, API tokens, kiosks."""
import re
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


SITE_CODE_RE = re.compile(r"^[A-Z0-9-]{1,16}\Z")


def _read_password() -> str:
    """Read a password from standard input, or prompt twice on a terminal."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def _check_policy(password: str, username: str) -> None:
    """Stop with the policy's reasons (in English: the CLI has no request) when it is refused."""
    from flask_babel import force_locale

    from kiosk.auth.services import password_problems

    with force_locale("en"):
        problems = " ".join(str(p) for p in password_problems(password, username))
    if problems:
        raise click.ClickException(f"password refused: {problems}")


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
    password = _read_password()
    _check_policy(password, username)
    try:
        user = create_user(username, password, role, site.id, full_name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.username} at {site.code}")


@click.command("create-site")
@with_appcontext
@click.argument("code")
@click.option("--name", required=True, help="the centre's name, e.g. 'Trung tâm PVHCC phường An Biên'")
@click.option("--address", default="", help="the centre's address")
def create_site_command(code, name, address):
    """Create a site with the default services and learning platforms (no desks yet)."""
    from kiosk.admin.services import ensure_site
    from kiosk.audit.services import record_event
    from kiosk.queue.models import Site

    if not SITE_CODE_RE.match(code):
        raise click.BadParameter("use 1-16 of A-Z, 0-9 and '-'", param_hint="CODE")
    if db.session.execute(db.select(Site.id).where(Site.code == code)).first() is not None:
        raise click.ClickException(f"site {code!r} exists")
    name = name.strip()
    if not name:
        raise click.BadParameter("give the centre's name", param_hint="--name")
    site = ensure_site(code, name, address.strip())
    record_event("site.create", target=code, site_id=site.id)
    db.session.commit()
    click.echo(f"Created site {code}: {name}")
    click.echo("Next steps:")
    click.echo(f"  flask --app wsgi create-user USERNAME --role admin --site {code} --name 'FULL NAME'")
    click.echo("  sign in as that administrator, then add desks and the duty rota, "
               "register the kiosks (/admin/kiosks) and add the staff (/admin/users)")


@click.command("set-password")
@with_appcontext
@click.argument("username")
def set_password_command(username):
    """Set a user's password; it comes from standard input, or is prompted twice."""
    from kiosk.audit.services import record_event
    from kiosk.auth.services import find_user, revoke_user_sessions
    from kiosk.timeutil import utcnow

    user = find_user(username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    password = _read_password()
    _check_policy(password, username)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    revoke_user_sessions(user)  # a password set from the server ends every browser signed in
    record_event("auth.password_set", target=username, site_id=user.site_id, via="cli")
    db.session.commit()
    click.echo(f"Password of {username} set")


@click.command("retire-demo")
@with_appcontext
@click.option("--delete-data", is_flag=True,
              help="also delete the DEMO site and all its data (refused when it holds a real log)")
def retire_demo_command(delete_data):
    """Deactivate the demo accounts; with --delete-data, delete the DEMO site too."""
    from kiosk.audit.services import record_event
    from kiosk.auth.demo import deactivate_demo_users, delete_site_data, foreign_traces, real_log_count
    from kiosk.queue.models import Site

    site = db.session.execute(
        db.select(Site).where(Site.code == DEMO_SITE[0])).scalar_one_or_none()
    if delete_data and site is not None:
        real = real_log_count(site)
        if real:
            raise click.ClickException(
                f"site {site.code} holds {real} assist(s) or served ticket(s) by real (non-demo) "
                "users: nothing changed. Run retire-demo without --delete-data to only "
                "deactivate the demo accounts.")
        if foreign_traces(site):
            raise click.ClickException(
                f"other sites' records point at {site.code}'s users: nothing changed.")
    count = deactivate_demo_users()
    record_event("demo.retire", count=count)
    if delete_data and site is not None:
        delete_site_data(site)
        record_event("demo.delete_data", target=DEMO_SITE[0])
    db.session.commit()
    click.echo(f"Deactivated {count} demo account(s).")
    if delete_data:
        click.echo(f"Deleted site {DEMO_SITE[0]} and its data." if site is not None
                   else f"No site {DEMO_SITE[0]}: nothing to delete.")


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
    from kiosk.backup import backup_command, restore_command
    from kiosk.reports.bulk import seed_bulk_command
    from kiosk.reports.summary import rebuild_report_summary_command

    for command in (seed_demo, create_site_command, create_user_command, set_password_command,
                    retire_demo_command, create_token_command, create_kiosk_command,
                    purge_contacts_command, seed_bulk_command, rebuild_report_summary_command):
        app.cli.add_command(command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
