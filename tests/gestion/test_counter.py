"""Requests by other channels: an agent registers one through the démarche's own pages, or opens a draft the
person finishes online with a resume code; the request records the channel and the agent."""
import html as html_text
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from a11y.walker import submit, token_of, walk_to_check
from guichet import db
from guichet.audit.models import AuditEntry
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft
from tests.gestion.conftest import open_session
from tests.requests.helpers import load

SLUG = "demande-acte-etat-civil"


@pytest.fixture
def agent_client(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    open_session(app, client, member)
    client.member = member
    return client


def start(client, **data):
    token = token_of(client.get("/gestion/guichet").get_data(as_text=True))
    return client.post("/gestion/guichet", data={"csrf_token": token, **data})


def drafts_count(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Draft))


@pytest.mark.parametrize("channel", ["telephone", "guichet", "courrier", "courriel"])
def test_an_agent_registers_a_request_through_the_demarche_pages(app, agent_client, channel):
    with app.app_context():
        demarche = catalogue().get(SLUG)
    started = start(agent_client, demarche=SLUG, canal=channel)
    assert started.status_code == 302 and started.headers["Location"].startswith(f"/demarches/{SLUG}/etape/")
    receipt = agent_client.get(submit(agent_client, demarche, walk_to_check(agent_client, demarche, started=started))
                               .headers["Location"])
    page = receipt.get_data(as_text=True)
    reference = re.search(r"(ADM-\d{4}-\d{6})", page).group(1)
    with app.app_context():
        row = load(db.session(), reference)
        assert row.channel == channel
        [event] = [event for event in row.events if event.kind == "canal"]
        assert event.actor_id == agent_client.member.id and event.details == {"channel": channel, "resume_code": False}
        audited = db.session().scalar(select(AuditEntry).where(AuditEntry.target_id == reference,
                                                               AuditEntry.action == "request.enregistree"))
        assert audited.actor_id == agent_client.member.id and audited.details == {"channel": channel}
    shown = html_text.unescape(agent_client.get(f"/gestion/demandes/{reference}").get_data(as_text=True))
    assert "Demande enregistrée par un agent" in shown and "Camille Martin" in shown


def test_a_draft_opened_at_the_counter_is_continued_by_the_person_with_its_code(app, agent_client):
    response = start(agent_client, demarche=SLUG, canal="code")
    assert response.status_code == 302 and response.headers["Location"] == "/gestion/guichet/code"
    page = html_text.unescape(agent_client.get("/gestion/guichet/code").get_data(as_text=True))
    code = re.search(r'class="gros-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    assert "/reprendre" in page
    person = app.test_client()
    form = person.get("/reprendre").get_data(as_text=True)
    resumed = person.post("/reprendre", data={"csrf_token": token_of(form), "code": code})
    assert resumed.status_code == 302 and f"/demarches/{SLUG}/" in resumed.headers["Location"]
    with app.app_context():
        demarche = catalogue().get(SLUG)
        draft = db.session().scalar(select(Draft).where(Draft.resume_code == code.replace("-", "")))
        assert draft.opened_by == agent_client.member.id and draft.channel is None
    receipt = person.get(submit(person, demarche, walk_to_check(person, demarche, started=resumed))
                         .headers["Location"]).get_data(as_text=True)
    reference = re.search(r"(ADM-\d{4}-\d{6})", receipt).group(1)
    with app.app_context():
        row = load(db.session(), reference)
        assert row.channel == "web"
        assert [(event.actor_id, event.details) for event in row.events if event.kind == "canal"] == [
            (agent_client.member.id, {"channel": "web", "resume_code": True})]


def test_another_agent_never_sees_a_colleagues_code(app, agent_client, make_staff):
    start(agent_client, demarche=SLUG, canal="code")
    other = app.test_client()
    open_session(app, other, make_staff(("agent", "etat-civil")))
    assert other.get("/gestion/guichet/code").headers["Location"] == "/gestion/guichet"


@given(choice=st.tuples(st.sampled_from(["", "inconnue", "occupation-domaine-public", SLUG]),
                        st.sampled_from(["", "web", "fax", "telephone", "code"]))
       .filter(lambda choice: choice not in ((SLUG, "telephone"), (SLUG, "code"))))
def test_bad_choices_are_refused_and_open_nothing(app, agent_client, choice):
    demarche, canal = choice
    before = drafts_count(app)
    response = start(agent_client, demarche=demarche, canal=canal)
    assert response.status_code == 400
    text = html_text.unescape(response.get_data(as_text=True))
    assert "Choisissez" in text or "n'existe pas" in text
    assert drafts_count(app) == before


def test_only_agents_register_requests(app, make_staff):
    supervisor = app.test_client()
    open_session(app, supervisor, make_staff(("superviseur", "etat-civil")))
    assert supervisor.get("/gestion/guichet").status_code == 403


def test_the_email_is_optional_for_a_request_the_agent_registers_and_required_online(app, agent_client):
    with app.app_context():
        demarche = catalogue().get(SLUG)
    started = start(agent_client, demarche=SLUG, canal="courrier")
    walk_to_check(agent_client, demarche, started=started)
    email_page = f"/demarches/{SLUG}/etape/identite_email?retour=verifier"
    shown = html_text.unescape(agent_client.get(email_page).get_data(as_text=True))
    assert "Facultatif pour une demande reçue par téléphone" in shown
    answered = agent_client.post(email_page, data={"csrf_token": token_of(shown), "identite_email": ""})
    assert answered.status_code == 302
    check = agent_client.get(f"/demarches/{SLUG}/verifier").get_data(as_text=True)
    page = agent_client.get(submit(agent_client, demarche, check).headers["Location"]).get_data(as_text=True)
    reference = re.search(r"(ADM-\d{4}-\d{6})", page).group(1)
    with app.app_context():
        row = load(db.session(), reference)
        assert row.email is None and row.channel == "courrier"
    person = app.test_client()
    walk_to_check(person, demarche)
    shown = person.get(email_page).get_data(as_text=True)
    refused = person.post(email_page, data={"csrf_token": token_of(shown), "identite_email": ""})
    assert refused.status_code == 400
