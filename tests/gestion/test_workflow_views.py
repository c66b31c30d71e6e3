"""The workflow from the back office over HTTP: actions, missing documents, per-service isolation, bad input."""
import html as html_text
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.demarches.catalogue import catalogue
from guichet.requests.models import MissingDocuments
from tests.gestion.conftest import open_session
from tests.requests.helpers import load, mails_to, make_request

TOKEN_RE = re.compile(r'name="(?:[a-z_]+-)?csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def agent_client(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    open_session(app, client, member)
    client.member = member
    return client


def token(client) -> str:
    return TOKEN_RE.search(client.get("/gestion/").get_data(as_text=True)).group(1)


def act(client, reference, action, note=""):
    return client.post(f"/gestion/demandes/{reference}/actions/{action}",
                       data={f"{action}-csrf_token": token(client), f"{action}-note": note})


def snapshot(app, reference):
    with app.app_context():
        row = load(db.session(), reference)
        return row.status, len(row.history), row.decision_due, row.updated_at, len(row.missing_documents)


def test_an_agent_moves_a_request_and_comes_back_to_its_page(app, agent_client):
    reference = make_request(app, email="http-actions@example.test")
    response = act(agent_client, reference, "instruire", "Dossier ouvert.")
    assert response.status_code == 302 and response.headers["Location"] == f"/gestion/demandes/{reference}"
    response = act(agent_client, reference, "accepter", "Votre acte part par la poste demain.")
    assert response.status_code == 302
    with app.app_context():
        row = load(db.session(), reference)
        assert row.status == "acceptee" and row.decision_due is None
        assert [entry.actor_id for entry in row.history[1:]] == [agent_client.member.id] * 2
        actions = db.session().scalars(select(AuditEntry.details).where(AuditEntry.target_id == reference)).all()
        assert [details["action"] for details in actions] == ["instruire", "accepter"]
    subjects = [mail.subject for mail in mails_to(app, "http-actions@example.test")]
    assert subjects == [f"Votre demande {reference} : En cours de traitement", f"Votre demande {reference} : Acceptée"]


@pytest.mark.parametrize("status, action, note, code, message", [
    ("acceptee", "instruire", "", 409, "« Commencer l'instruction » n'est pas possible"),
    ("recue", "accepter", "Oui.", 409, "« Accepter » n'est pas possible pour une demande « Reçue »"),
    ("en_instruction", "refuser", "", 400, "Écrivez les raisons du refus"),
    ("en_instruction", "accepter", "  ", 400, "Écrivez la décision"),
    ("en_instruction", "classer", "x" * 4001, 400, "Le message est trop long"),
])
def test_refused_actions_say_why_and_change_nothing(app, agent_client, status, action, note, code, message):
    reference = make_request(app, status=status, email=f"refus-{action}-{code}@example.test")
    before = snapshot(app, reference)
    response = act(agent_client, reference, action, note)
    assert response.status_code == code
    assert message in html_text.unescape(response.get_data(as_text=True))
    assert snapshot(app, reference) == before
    assert mails_to(app, f"refus-{action}-{code}@example.test") == []


def test_unknown_actions_and_references_are_404(app, agent_client):
    reference = make_request(app)
    assert act(agent_client, reference, "effacer").status_code == 404
    assert act(agent_client, reference, "demander_pieces").status_code == 404  # has its own form
    assert act(agent_client, reference, "acceptation_implicite").status_code == 409
    assert act(agent_client, "ADM-1999-000001", "instruire").status_code == 404
    assert agent_client.get("/gestion/demandes/ADM-1999-000001/pieces").status_code == 404


def test_a_post_without_csrf_is_refused(app, agent_client):
    reference = make_request(app)
    response = agent_client.post(f"/gestion/demandes/{reference}/actions/instruire", data={})
    assert response.status_code == 400
    assert snapshot(app, reference)[0] == "recue"


@pytest.mark.parametrize("role", ["agent", "superviseur"])
def test_a_member_of_another_service_never_reaches_the_request(app, make_staff, role):
    """Every route of this module that takes a reference: 404, as for a request that does not exist."""
    outsider = make_staff((role, "voirie"))
    client = app.test_client()
    open_session(app, client, outsider)
    reference = make_request(app, "demande-acte-etat-civil")
    before = snapshot(app, reference)
    future = (date.today() + timedelta(days=20)).isoformat()
    for action in ("instruire", "classer", "accepter"):
        assert act(client, reference, action, "Note.").status_code == 404
    assert client.get(f"/gestion/demandes/{reference}/pieces").status_code == 404
    response = client.post(f"/gestion/demandes/{reference}/pieces", data={
        "csrf_token": token(client), "items": ["liste-1"], "deadline": future})
    assert response.status_code == 404
    assert snapshot(app, reference) == before
    own = make_request(app, "signaler-probleme-voie-publique")
    assert act(client, own, "instruire").status_code == 302


def test_missing_documents_form_lists_the_demarche_documents(app, agent_client):
    reference = make_request(app, "demande-acte-etat-civil")
    html = agent_client.get(f"/gestion/demandes/{reference}/pieces").get_data(as_text=True)
    with app.app_context():
        needs = catalogue().get("demande-acte-etat-civil").what_you_need
    for text in needs:
        assert text in html_text.unescape(html)
    assert 'type="date"' in html and "Autres documents" in html


def ask(client, reference, **data):
    return client.post(f"/gestion/demandes/{reference}/pieces", data={"csrf_token": token(client), **data})


@pytest.mark.parametrize("data, message", [
    ({"deadline": "+20"}, "Cochez au moins un document"),
    ({"items": ["liste-1"], "deadline": ""}, "Écrivez la date limite"),
    ({"items": ["liste-1"], "deadline": "31/02/2026"}, "Cette date n'existe pas"),
    ({"items": ["liste-1"], "deadline": "+0"}, "La date limite doit être après aujourd'hui."),
    ({"items": ["liste-1"], "deadline": "-3"}, "La date limite doit être après aujourd'hui."),
    ({"items": ["liste-1"], "deadline": "+400"}, "La date limite doit être dans moins de 6 mois."),
    ({"items": ["inconnu"], "deadline": "+20"}, "Un document coché ne fait pas partie de la liste"),
    ({"other": "x" * 201, "deadline": "+20"}, "Chaque document doit tenir en 200 caractères"),
    ({"other": "\n".join(f"Document {n}" for n in range(11)), "deadline": "+20"}, "10 documents au maximum"),
])
def test_bad_missing_documents_input_is_refused_and_changes_nothing(app, agent_client, data, message):
    reference = make_request(app, "demande-acte-etat-civil", status="en_instruction")
    if data.get("deadline", "").startswith(("+", "-")):
        data = {**data, "deadline": (date.today() + timedelta(days=int(data["deadline"]))).strftime("%d/%m/%Y")}
    before = snapshot(app, reference)
    response = ask(agent_client, reference, **data)
    assert response.status_code == 400
    assert message in html_text.unescape(response.get_data(as_text=True))
    assert snapshot(app, reference) == before


def test_missing_documents_cannot_be_asked_for_a_decided_request(app, agent_client):
    reference = make_request(app, status="refusee")
    future = (date.today() + timedelta(days=20)).isoformat()
    response = ask(agent_client, reference, items=["liste-1"], deadline=future)
    assert response.status_code == 409
    assert "Rien n'a été modifié" in html_text.unescape(response.get_data(as_text=True))
    assert snapshot(app, reference)[4] == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-1000, max_value=1000), other=st.text(max_size=300))
def test_missing_documents_validation_never_fails_open(app, agent_client, offset, other):
    """Whatever is typed: a 302 only for a valid deadline and at least one item; never a 5xx."""
    reference = make_request(app, status="en_instruction")
    deadline = date.today() + timedelta(days=offset)
    response = ask(agent_client, reference, other=other, deadline=deadline.isoformat())
    lines = [line.strip() for line in other.splitlines() if line.strip()]
    valid = 0 < offset <= 183 and lines and len(lines) <= 10 and all(len(line) <= 200 for line in lines)
    assert response.status_code == (302 if valid else 400)


def test_asking_for_documents_sends_one_email_and_stops_the_clock(app, agent_client):
    reference = make_request(app, "demande-acte-etat-civil", email="pieces@example.test")
    deadline = date.today() + timedelta(days=30)
    response = ask(agent_client, reference, items=["liste-4"], other="Une pièce d'identité",
                   deadline=deadline.isoformat(), note="Merci.")
    assert response.status_code == 302 and response.headers["Location"] == f"/gestion/demandes/{reference}"
    with app.app_context():
        row = load(db.session(), reference)
        assert row.status == "incomplete" and row.decision_due is None  # implicit acceptance: clock stopped
        missing = row.missing_documents[0]
        assert [item["key"] for item in missing.items] == ["1-liste-4", "1-libre-1"]
        assert missing.requested_by == agent_client.member.id and missing.deadline >= deadline
    mails = mails_to(app, "pieces@example.test")
    assert len(mails) == 1
    assert "Si ce n'est pas votre acte" in mails[0].body and "- Une pièce d'identité" in mails[0].body
    assert "Merci." in mails[0].body and "commencera le jour où il aura reçu tous les documents" in mails[0].body


@pytest.fixture
def voirie_client(app, make_staff):
    client = app.test_client()
    open_session(app, client, make_staff(("agent", "voirie")))
    return client


def test_the_partials_render_actions_and_the_legal_panel(app, voirie_client):
    agent_client = voirie_client
    reference = make_request(app, "occupation-domaine-public", status="en_instruction")
    future = date.today() + timedelta(days=20)
    ask(agent_client, reference, items=["liste-1"], deadline=future.isoformat())
    with app.test_request_context():
        from flask import render_template_string
        row = load(db.session(), reference)
        demarche = catalogue().get(row.demarche)
        html = render_template_string('{% include "gestion/requests/_actions.html" %}'
                                      '{% include "gestion/requests/_legal.html" %}',
                                      request_row=row, demarche=demarche, staff=None)
        html = html_text.unescape(html)
    assert f"/gestion/demandes/{reference}/actions/completer" in html
    assert f"/gestion/demandes/{reference}/actions/refuser" in html
    assert "actions/instruire" not in html and "/pieces" not in html
    assert "Rejet implicite après 2 mois" in html
    assert "Le délai est suspendu jusqu'à leur réception" in html
    assert "Jours restants" in html and "n'est pas reportée" in html


def test_completing_by_hand_resumes_the_clock(app, voirie_client):
    agent_client = voirie_client
    reference = make_request(app, "occupation-domaine-public", status="en_instruction")
    before = snapshot(app, reference)[2]
    ask(agent_client, reference, items=["liste-1"], deadline=(date.today() + timedelta(days=20)).isoformat())
    assert snapshot(app, reference)[2] > before  # suspended for the whole period, until items arrive
    assert act(agent_client, reference, "completer", "Reçues au guichet.").status_code == 302
    with app.app_context():
        row = load(db.session(), reference)
        assert row.status == "en_instruction" and row.decision_due == before  # the same day: nothing added
        assert row.missing_documents[0].completed_at is not None
        assert db.session().scalar(select(func.count()).select_from(MissingDocuments)
                                   .where(MissingDocuments.request_id == row.id)) == 1
