"""`flask staff create|list|disable|reset-2fa|code|remove-demo`: staff accounts for operators; `flask demo seed`."""
import click
import pyotp
from flask import current_app, url_for
from flask.cli import AppGroup
from sqlalchemy import delete, select

from guichet import db
from guichet.appointments.booking import ensure_demo_openings
from guichet.audit import log as audit
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.indicators.demo import ensure_demo_indicators
from guichet.mail.links import site_url
from guichet.requests.demo import DEMO_COUNT, ensure_demo_requests
from guichet.staff import demo, signin
from guichet.staff.models import StaffMember, StaffRole
from guichet.staff.roles import ROLES, role_is_valid

staff_cli = AppGroup("staff", help="Back-office staff accounts.")
demo_cli = AppGroup("demo", help="Development only: demo staff accounts and demo requests.")


def _member(email: str) -> StaffMember:
    member = signin.find_member(db.session(), email)
    if member is None:
        raise click.ClickException(f"no staff account {email}")
    return member


def _parse_role(value: str, services: set[str]) -> tuple[str, str | None]:
    role, _, service = value.partition(":")
    service = service or None
    if not role_is_valid(role, service, services):
        raise click.BadParameter(f"{value!r}: use ROLE:SERVICE (ROLE among {', '.join(ROLES)}; "
                                 f"admin and dpo take no service; services: {', '.join(sorted(services))})")
    return role, service


@staff_cli.command("create")
@click.argument("email")
@click.option("--given-name", required=True)
@click.option("--family-name", required=True)
@click.option("--role", "roles", multiple=True, required=True, help="ROLE:SERVICE, or admin / dpo; repeatable.")
@click.option("--oidc-only", is_flag=True, help="No local password: sign-in through OpenID Connect only.")
def create(email: str, given_name: str, family_name: str, roles: tuple[str, ...], oidc_only: bool) -> None:
    """Create an account; a local account gets a link (30 minutes) to choose its password."""
    session = db.session()
    services = set(current_app.config["SETTINGS"]["services"])
    grants = [_parse_role(value, services) for value in roles]
    if signin.find_member(session, email):
        raise click.ClickException(f"{email} already exists")
    member = StaffMember(email=signin.normalise_email(email), given_name=given_name, family_name=family_name,
                         failed_attempts=0)
    member.roles = [StaffRole(role=role, service=service) for role, service in grants]
    session.add(member)
    session.flush()
    audit.record(session, "compte_cree", "cli", "staff", member.id, {"roles": list(roles)})
    link = None
    if not oidc_only:
        member.password_hash = None
        reset = signin.create_reset(session, member)
        with current_app.test_request_context():
            link = f"{site_url()}{url_for('gestion.auth.reset', token=reset.token)}"
    session.commit()
    click.echo(f"Created {member.email}.")
    if link:
        click.echo(f"Send this link to the person (valid 30 minutes, single use) to choose a password:\n{link}")


@staff_cli.command("list")
def list_staff() -> None:
    for member in db.session().scalars(select(StaffMember).order_by(StaffMember.email)):
        roles = ", ".join(f"{grant.role}:{grant.service}" if grant.service else grant.role for grant in member.roles)
        state = "disabled" if member.disabled_at else "active"
        factor = "2FA on" if member.totp_confirmed_at else ("oidc/2FA pending")
        click.echo(f"{member.email:<40} {state:<9} {factor:<16} {roles}{'  [demo]' if member.is_demo else ''}")


@staff_cli.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Close an account now: its sessions end, it can no longer sign in."""
    session = db.session()
    member = _member(email)
    member.disabled_at = utcnow()
    signin.end_all_sessions(session, member)
    audit.record(session, "compte_desactive", "cli", "staff", member.id)
    session.commit()
    click.echo(f"{member.email} is disabled.")


@staff_cli.command("reset-2fa")
@click.argument("email")
def reset_2fa(email: str) -> None:
    """The next sign-in enrols a new authenticator app (after a lost phone)."""
    session = db.session()
    member = _member(email)
    signin.reset_second_factor(session, member)
    signin.end_all_sessions(session, member)
    audit.record(session, "double_authentification_remise_a_zero", "cli", "staff", member.id)
    session.commit()
    click.echo(f"{member.email} will enrol a new authenticator at the next sign-in.")


@demo_cli.command("seed")
def seed_demo() -> None:
    """Development only: make sure the demo accounts and demo requests exist, and say how to sign in."""
    if current_app.config["GUICHET_ENV"] != "development":
        raise click.ClickException("demo data exists only in development")
    session = db.session()
    members = demo.ensure_demo_staff(session, current_app.config["SETTINGS"]["services"])
    created = ensure_demo_requests(session, catalogue().all(), members)
    if "etat-civil" in current_app.config["SETTINGS"]["services"]:
        ensure_demo_openings(session, "etat-civil")
    session.commit()
    journeys = ensure_demo_indicators(session, catalogue().all())
    session.commit()
    click.echo(f"Demo requests: {created} created ({DEMO_COUNT} in all, fictional people, @exemple.fr).")
    click.echo(f"Demo indicators: {journeys} journeys added (see /gestion/indicateurs as superviseur@…).")
    click.echo("Demo back office: http://127.0.0.1:<PORT>/gestion/connexion")
    click.echo(f"  password for every demo account: {demo.DEMO_PASSWORD}")
    click.echo("  6-digit code: `.venv/bin/flask staff code EMAIL` (or add the key "
               f"{demo.DEMO_TOTP_SECRET} to an authenticator app)")
    for member in members:
        click.echo(f"  {member.email:<36} {', '.join(grant.role for grant in member.roles)}")


@staff_cli.command("code")
@click.argument("email")
def code(email: str) -> None:
    """Development only: the current 6-digit code of a demo account."""
    member = _member(email)
    if current_app.config["GUICHET_ENV"] != "development" or not member.is_demo:
        raise click.ClickException("only for demo accounts, in development")
    click.echo(pyotp.TOTP(member.totp_secret).now())


@staff_cli.command("remove-demo")
def remove_demo() -> None:
    session = db.session()
    count = session.execute(delete(StaffMember).where(StaffMember.is_demo.is_(True))).rowcount
    session.commit()
    click.echo(f"{count} demo account(s) removed.")
