"""Demo staff accounts for development, and the guard that keeps them out of every other environment.

The demo accounts share a known password and a known authenticator secret, so a newcomer can sign
in after `make run` (`flask staff code EMAIL` prints the current 6-digit code). Such accounts in a
real deployment would be an open door: the app refuses to start outside development while any exists.
"""
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from guichet import db
from guichet.db import utcnow
from guichet.staff.models import StaffMember, StaffRole
from guichet.staff.passwords import hash_password

DEMO_PASSWORD = "demo-admiville-2026"
DEMO_TOTP_SECRET = "ADMIVILLEDEMOADMIVILLEDEMO234567"
DEMO_DOMAIN = "demo.admiville.test"
# (local part, given name, family name, roles as (role, service))
DEMO_STAFF = [
    ("agent", "Amina", "Agent", [("agent", "etat-civil"), ("agent", "education")]),
    ("superviseur", "Samuel", "Superviseur", [("superviseur", "etat-civil"), ("superviseur", "education"),
                                              ("superviseur", "voirie")]),
    ("voirie", "Victor", "Voirie", [("agent", "voirie")]),
    ("admin", "Alice", "Admin", [("admin", None)]),
    ("dpo", "Dominique", "Dpo", [("dpo", None)]),
    ("editeur", "Emma", "Éditrice", [("editeur", "accueil"), ("editeur", "etat-civil")]),
    ("relecteur", "Romain", "Relecteur", [("relecteur", "accueil"), ("relecteur", "etat-civil")]),
]


class DemoAccountsInProduction(RuntimeError):
    pass


def ensure_demo_staff(session: Session, services: dict) -> list[StaffMember]:
    """Create the missing demo accounts (idempotent); roles of unknown services are skipped."""
    members = []
    for local, given, family, roles in DEMO_STAFF:
        email = f"{local}@{DEMO_DOMAIN}"
        member = session.scalar(select(StaffMember).where(StaffMember.email == email))
        if member is None:
            member = StaffMember(email=email, given_name=given, family_name=family, is_demo=True,
                                 password_hash=hash_password(DEMO_PASSWORD), totp_secret=DEMO_TOTP_SECRET,
                                 totp_confirmed_at=utcnow(), failed_attempts=0)
            member.roles = [StaffRole(role=role, service=service) for role, service in roles
                            if service is None or service in services]
            session.add(member)
        members.append(member)
    session.flush()
    return members


def demo_accounts_exist(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(StaffMember).where(StaffMember.is_demo.is_(True))))


def refuse_outside_development(app: Flask) -> None:
    if app.config["GUICHET_ENV"] == "development":
        return
    with app.app_context():
        try:
            found = demo_accounts_exist(db.session())
        except (OperationalError, ProgrammingError):  # the schema is not there yet: `flask db upgrade` comes first
            db.session().rollback()
            return
    if found:
        raise DemoAccountsInProduction(
            "Demo staff accounts exist in this database, and GUICHET_ENV is not 'development': refusing to start. "
            "Remove them with `flask staff remove-demo` (in development), or use another database.")
