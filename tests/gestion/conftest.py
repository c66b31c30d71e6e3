"""Staff members for back-office tests, and a quick way to open a session for tests that are not about sign-in.

Sign-in itself is tested through the real pages (tests/gestion/test_auth.py, test_oidc.py).
"""
import itertools

import pyotp
import pytest

from guichet import db
from guichet.db import utcnow
from guichet.gestion.access import SESSION_KEY
from guichet.staff import signin
from guichet.staff.models import StaffMember, StaffRole
from guichet.staff.passwords import hash_password

PASSWORD = "une phrase de passe assez longue"
_numbers = itertools.count(1)


@pytest.fixture
def make_staff(app):
    def make(*roles: tuple[str, str | None], password: str | None = PASSWORD, enrolled: bool = True,
             email: str | None = None) -> StaffMember:
        with app.app_context():
            session = db.session()
            member = StaffMember(email=email or f"agent{next(_numbers)}@admiville.test", given_name="Camille",
                                 family_name="Martin", failed_attempts=0,
                                 password_hash=hash_password(password) if password else None)
            if enrolled:
                member.totp_secret = pyotp.random_base32()
                member.totp_confirmed_at = utcnow()
            member.roles = [StaffRole(role=role, service=service) for role, service in roles]
            session.add(member)
            session.commit()
            session.refresh(member)
            _ = member.roles
            return member
    return make


def open_session(app, client, member: StaffMember) -> None:
    """A signed-in browser for `member`, without walking the sign-in pages."""
    with app.app_context():
        session = db.session()
        token = signin.start_session(session, session.merge(member), "local")
        session.commit()
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = token
