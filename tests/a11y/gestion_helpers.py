"""Sign a headless browser in as a staff member, for audits of back-office pages (sign-in itself is tested
through its pages in tests/gestion/test_auth.py)."""
from guichet import db
from guichet.db import utcnow
from guichet.gestion.access import SESSION_KEY
from guichet.staff import signin
from guichet.staff.models import StaffMember, StaffRole


def staff_member(app, email: str, *roles: tuple[str, str | None]) -> int:
    """The id of an enabled staff member with these roles (created once per email)."""
    with app.app_context():
        session = db.session()
        member = signin.find_member(session, email)
        if member is None:
            member = StaffMember(email=email, given_name="Claude", family_name="Audit", failed_attempts=0,
                                 totp_confirmed_at=utcnow())
            member.roles = [StaffRole(role=role, service=service) for role, service in roles]
            session.add(member)
            session.commit()
        return member.id


def sign_browser_in(app, browser, base_url: str, staff_id: int) -> None:
    """Open a server-side session and hand the browser the signed session cookie holding its token."""
    with app.app_context():
        session = db.session()
        token = signin.start_session(session, session.get(StaffMember, staff_id), "local")
        session.commit()
    cookie = app.session_interface.get_signing_serializer(app).dumps({SESSION_KEY: token})
    browser.get(base_url + "/gestion/connexion")
    browser.delete_all_cookies()
    browser.add_cookie({"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "path": "/"})


def sign_browser_out(browser) -> None:
    browser.delete_all_cookies()
