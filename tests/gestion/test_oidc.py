"""OpenID Connect sign-in against a real local provider (oidc-provider-mock), never a stub."""
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import User, run_server_in_thread

from tests.conftest import build_app

KNOWN = "camille.oidc@admiville.test"


@pytest.fixture(scope="module")
def provider():
    users = [User(sub="camille", claims={"email": KNOWN, "given_name": "Camille", "usual_name": "Durand"}),
             User(sub="inconnu", claims={"email": "inconnu@exemple.fr", "given_name": "X", "usual_name": "Y"})]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def oidc_app(provider, tmp_path_factory):
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'oidc.sqlite3'}",
                     OIDC_DISCOVERY_URL=f"{provider}/.well-known/openid-configuration",
                     OIDC_CLIENT_ID="guichet-test", OIDC_CLIENT_SECRET="secret-de-test",
                     OIDC_SCOPES="openid email profile")


def staff(oidc_app, email, disabled=False):
    from guichet import db
    from guichet.db import utcnow
    from guichet.staff.models import StaffMember, StaffRole
    with oidc_app.app_context():
        session = db.session()
        member = StaffMember(email=email, given_name="C", family_name="D", failed_attempts=0,
                             disabled_at=utcnow() if disabled else None)
        member.roles = [StaffRole(role="agent", service="etat-civil")]
        session.add(member)
        session.commit()


def authorize_at_provider(client, subject: str) -> str:
    """Follow the app's redirect to the provider, choose the user there, return the app callback path."""
    start = client.get("/gestion/connexion/oidc")
    assert start.status_code == 302
    answer = requests.post(start.headers["Location"], data={"sub": subject}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == "/gestion/connexion/oidc/retour"
    return f"{callback.path}?{callback.query}"


def test_sign_in_page_offers_proconnect(oidc_app):
    html = oidc_app.test_client().get("/gestion/connexion").get_data(as_text=True)
    assert "Se connecter avec ProConnect" in html


def test_known_staff_member_signs_in(oidc_app):
    staff(oidc_app, KNOWN)
    client = oidc_app.test_client()
    response = client.get(authorize_at_provider(client, "camille"))
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/"
    page = client.get("/gestion/")
    assert page.status_code == 200 and "Camille" in page.get_data(as_text=True)


def test_person_without_a_staff_account_is_refused(oidc_app):
    client = oidc_app.test_client()
    response = client.get(authorize_at_provider(client, "inconnu"))
    assert response.status_code == 403
    assert "aucun compte actif" in response.get_data(as_text=True)
    assert client.get("/gestion/").status_code == 302


def test_disabled_staff_member_is_refused(oidc_app):
    staff(oidc_app, "desactive@admiville.test", disabled=True)
    requests.put(f"{oidc_app.config['OIDC_DISCOVERY_URL'].rsplit('/.well-known', 1)[0]}/users/desactive",
                 json={"email": "desactive@admiville.test"}, timeout=10)
    client = oidc_app.test_client()
    assert client.get(authorize_at_provider(client, "desactive")).status_code == 403


def test_tampered_state_is_refused_and_opens_nothing(oidc_app):
    client = oidc_app.test_client()
    callback = authorize_at_provider(client, "camille")
    query = parse_qs(urlsplit(callback).query)
    tampered = f"/gestion/connexion/oidc/retour?code={query['code'][0]}&state=autre-chose"
    response = client.get(tampered)
    assert response.status_code == 400
    assert "La connexion n&#39;a pas pu être vérifiée" in response.get_data(as_text=True)
    assert client.get("/gestion/").status_code == 302
