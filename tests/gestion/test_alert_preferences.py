""""Mes alertes": each agent or supervisor chooses, per service, how to hear of new requests and deadlines."""
import html as html_text
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from guichet import db
from guichet.alerts.models import AlertPreference
from tests.gestion.conftest import open_session

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def signed_in(app, make_staff, *roles):
    member = make_staff(*roles)
    client = app.test_client()
    open_session(app, client, member)
    client.member = member
    return client


def token(client) -> str:
    return TOKEN_RE.search(client.get("/gestion/mes-alertes").get_data(as_text=True)).group(1)


def saved(app, member) -> dict:
    with app.app_context():
        return {row.service: (row.new_requests, row.deadlines) for row in db.session().scalars(
            select(AlertPreference).where(AlertPreference.staff_id == member.id))}


def test_the_page_lists_the_members_services_with_the_defaults(app, make_staff):
    client = signed_in(app, make_staff, ("agent", "etat-civil"), ("superviseur", "education"))
    page = html_text.unescape(client.get("/gestion/mes-alertes").get_data(as_text=True))
    assert "Service état civil de la mairie d'Admiville" in page and "Service éducation et enfance" in page
    assert "voirie" not in page.lower().split("<main")[1]
    assert re.search(r'name="nouvelles-etat-civil" value="daily" checked', page)
    assert re.search(r'name="echeances-etat-civil" value="y" checked', page)
    assert 'href="/gestion/mes-alertes"' in page


def test_choices_are_saved_and_shown_again(app, make_staff):
    client = signed_in(app, make_staff, ("agent", "etat-civil"), ("agent", "education"))
    response = client.post("/gestion/mes-alertes", data={
        "csrf_token": token(client), "nouvelles-etat-civil": "immediate", "echeances-etat-civil": "y",
        "nouvelles-education": "none"})
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/mes-alertes"
    assert saved(app, client.member) == {"etat-civil": ("immediate", True), "education": ("none", False)}
    page = client.get("/gestion/mes-alertes").get_data(as_text=True)
    assert "Vos choix sont enregistrés." in page
    assert re.search(r'name="nouvelles-education" value="none" checked', page)


@pytest.fixture
def agent_client(app, make_staff):
    return signed_in(app, make_staff, ("agent", "etat-civil"))


@given(value=st.one_of(st.text(max_size=20), st.sampled_from(["", "hourly", "IMMEDIATE", "daily "]))
       .filter(lambda text: text not in ("immediate", "daily", "none")))
def test_a_choice_that_does_not_exist_is_refused_and_changes_nothing(app, agent_client, value):
    client = agent_client
    response = client.post("/gestion/mes-alertes", data={"csrf_token": token(client), "nouvelles-etat-civil": value})
    assert response.status_code == 400
    text = html_text.unescape(response.get_data(as_text=True))
    assert "Choisissez comment être prévenu" in text or "Ce choix n'existe pas" in text
    assert saved(app, client.member) == {}


def test_without_token_nothing_changes(app, make_staff):
    client = signed_in(app, make_staff, ("agent", "etat-civil"))
    assert client.post("/gestion/mes-alertes", data={"nouvelles-etat-civil": "none"}).status_code == 400
    assert saved(app, client.member) == {}


def test_only_agents_and_supervisors_open_it(app, make_staff):
    assert signed_in(app, make_staff, ("dpo", None)).get("/gestion/mes-alertes").status_code == 403
    assert app.test_client().get("/gestion/mes-alertes").status_code == 302
