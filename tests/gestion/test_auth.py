"""Local sign-in through the real pages: password, second factor, lock-out, enrolment, reset, sign-out."""
import re
import time

import pyotp
from sqlalchemy import select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.mail.models import OutboxMessage
from guichet.staff import signin
from guichet.staff.models import StaffMember
from tests.gestion.conftest import PASSWORD

FAILED = "L&#39;adresse e-mail ou le mot de passe est incorrect."


def csrf(client, path="/gestion/connexion") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf(client, path), **data})


def current_code(member) -> str:
    return pyotp.TOTP(member.totp_secret).now()


def test_password_then_code_opens_a_rotated_session(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    response = post(client, "/gestion/connexion", email=member.email.upper(), password=PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/connexion/code"
    with client.session_transaction() as cookie:
        before = dict(cookie)
    response = post(client, "/gestion/connexion/code", code=current_code(member))
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/"
    with client.session_transaction() as cookie:
        assert "gestion" in cookie and "gestion_attente" not in cookie
        assert cookie.get("csrf_token") != before.get("csrf_token") or "csrf_token" not in cookie
    page = client.get("/gestion/")
    assert page.status_code == 200 and "Camille" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_a_code_cannot_be_replayed(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    code = current_code(member)
    first = app.test_client()
    post(first, "/gestion/connexion", email=member.email, password=PASSWORD)
    assert post(first, "/gestion/connexion/code", code=code).status_code == 302
    second = app.test_client()
    post(second, "/gestion/connexion", email=member.email, password=PASSWORD)
    assert post(second, "/gestion/connexion/code", code=code).status_code == 400


def test_wrong_password_unknown_email_and_locked_account_get_the_same_answer(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    answers = []
    for email, password in [(member.email, "mauvais mot de passe"), ("personne@admiville.test", PASSWORD)]:
        response = post(app.test_client(), "/gestion/connexion", email=email, password=password)
        answers.append((response.status_code, FAILED in response.get_data(as_text=True)))
    assert answers == [(400, True), (400, True)]


def test_five_failures_lock_the_account_even_for_the_right_password(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    for _ in range(5):
        post(client, "/gestion/connexion", email=member.email, password="mauvais mot de passe")
    response = post(client, "/gestion/connexion", email=member.email, password=PASSWORD)
    assert response.status_code == 400 and FAILED in response.get_data(as_text=True)
    with app.app_context():
        locked = db.session().get(StaffMember, member.id)
        assert signin.is_locked(locked, signin.utcnow())
        refused = db.session().scalars(select(AuditEntry).where(
            AuditEntry.action == "connexion_refusee", AuditEntry.actor_id == member.id)).all()
        assert len(refused) == 6  # five wrong passwords, then the right one while locked


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes_once(app, make_staff):
    member = make_staff(("agent", "etat-civil"), enrolled=False)
    client = app.test_client()
    response = post(client, "/gestion/connexion", email=member.email, password=PASSWORD)
    assert response.headers["Location"] == "/gestion/connexion/application"
    page = client.get("/gestion/connexion/application").get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page
    secret = re.search(r'<code class="cle-secrete">([A-Z2-7]+)</code>', page).group(1)
    assert post(client, "/gestion/connexion/application", code="000000").status_code == 400
    response = post(client, "/gestion/connexion/application", code=pyotp.TOTP(secret).now())
    assert response.headers["Location"] == "/gestion/connexion/codes-de-secours"
    codes = re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>",
                       client.get("/gestion/connexion/codes-de-secours").get_data(as_text=True))
    assert len(codes) == 10
    assert "<code>" not in client.get("/gestion/connexion/codes-de-secours").get_data(as_text=True)
    # a recovery code replaces the phone once
    other = app.test_client()
    post(other, "/gestion/connexion", email=member.email, password=PASSWORD)
    assert post(other, "/gestion/connexion/code", code=codes[0].lower()).status_code == 302
    again = app.test_client()
    post(again, "/gestion/connexion", email=member.email, password=PASSWORD)
    assert post(again, "/gestion/connexion/code", code=codes[0]).status_code == 400


def test_code_page_needs_a_recent_password_step(app, make_staff, monkeypatch):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    assert client.get("/gestion/connexion/code").headers["Location"] == "/gestion/connexion"
    post(client, "/gestion/connexion", email=member.email, password=PASSWORD)
    later = time.time() + 301
    monkeypatch.setattr("guichet.gestion.views.auth.time.time", lambda: later)
    assert client.get("/gestion/connexion/code").headers["Location"] == "/gestion/connexion"


def test_idle_session_ends_after_30_minutes(app, make_staff, monkeypatch):
    from datetime import timedelta
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    post(client, "/gestion/connexion", email=member.email, password=PASSWORD)
    post(client, "/gestion/connexion/code", code=current_code(member))
    assert client.get("/gestion/").status_code == 200
    later = signin.utcnow() + timedelta(minutes=31)
    monkeypatch.setattr("guichet.staff.signin.utcnow", lambda: later)
    response = client.get("/gestion/")
    assert response.status_code == 302 and "raison=idle" in response.headers["Location"]


def test_sign_out_ends_the_server_side_session(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    post(client, "/gestion/connexion", email=member.email, password=PASSWORD)
    post(client, "/gestion/connexion/code", code=current_code(member))
    with client.session_transaction() as cookie:
        stolen = cookie["gestion"]
    response = client.post("/gestion/deconnexion", data={"csrf_token": csrf(client, "/gestion/")})
    assert response.headers["Location"].startswith("/gestion/connexion")
    replay = app.test_client()
    with replay.session_transaction() as cookie:
        cookie["gestion"] = stolen
    assert replay.get("/gestion/").status_code == 302


def test_password_reset_link_is_single_use_and_never_reveals_accounts(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    with app.app_context():
        before = db.session().query(OutboxMessage).count()
    for email in (member.email, "personne@admiville.test"):
        response = post(client, "/gestion/mot-de-passe-oublie", email=email)
        assert response.status_code == 302
    with app.app_context():
        messages = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert [message.recipient for message in messages] == [member.email]
    link = re.search(r"http\S+/gestion/mot-de-passe/(\S+)", messages[0].body).group(1)
    path = f"/gestion/mot-de-passe/{link}"
    assert post(client, path, password="court", confirmation="court").status_code == 400
    new = "un autre mot de passe bien long"
    assert post(client, path, password=new, confirmation=new).status_code == 302
    assert client.get(path).status_code == 404
    response = post(app.test_client(), "/gestion/connexion", email=member.email, password=new)
    assert response.headers["Location"] == "/gestion/connexion/code"


def test_next_page_is_only_ever_a_back_office_path(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    for target, expected in [("/gestion/", "/gestion/"), ("https://example.org/", "/gestion/"),
                             ("//example.org", "/gestion/"), ("/gestion/\n", "/gestion/")]:
        client = app.test_client()
        client.post(f"/gestion/connexion?suivant={target}", data={
            "csrf_token": csrf(client), "email": member.email, "password": PASSWORD})
        with app.app_context():
            db.session().get(StaffMember, member.id).totp_last_step = None
            db.session().commit()
        response = post(client, "/gestion/connexion/code", code=current_code(member))
        assert response.headers["Location"] == expected, target


def test_sign_in_attempts_are_rate_limited_per_client(app, make_staff, monkeypatch):
    member = make_staff(("agent", "etat-civil"))
    monkeypatch.setitem(app.config, "RATE_LIMIT_SIGN_IN", (3, 600))
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    statuses = [post(client, "/gestion/connexion", email=member.email, password="faux mot de passe").status_code
                for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.78"
    assert post(other, "/gestion/connexion", email=member.email, password=PASSWORD).status_code == 302
