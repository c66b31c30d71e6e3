"""A person's file: search within one's services, matching by verified email, manual links, audit; DPO tools."""
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.feedback.models import Report
from guichet.people.models import Person
from guichet.requests.models import DemarcheRequest
from tests.gestion.conftest import open_session
from tests.privacy.helpers import add_report, add_request


def signed_in(app, make_staff, *roles):
    client = app.test_client()
    open_session(app, client, make_staff(*roles))
    return client


@pytest.fixture
def agent(app, make_staff):
    return signed_in(app, make_staff, ("agent", "etat-civil"))


@pytest.fixture
def voirie(app, make_staff):
    return signed_in(app, make_staff, ("agent", "voirie"))


@pytest.fixture
def dpo(app, make_staff):
    return signed_in(app, make_staff, ("dpo", None))


def token(client, path) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def person_id(app, email: str) -> int:
    with app.app_context():
        from guichet.people.files import person_for
        person = person_for(db.session(), email)
        db.session().commit()
        return person.id


def last_entry(app, action: str) -> AuditEntry:
    with app.app_context():
        return db.session().scalar(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id.desc()).limit(1))


def test_search_by_name_email_or_phone_within_the_agents_services(app, agent, voirie):
    own = add_request(app, email="Ines.Roux@exemple.fr", name=("Inès", "Roux"), phone="06 11 22 33 44")
    add_request(app, email="ines.roux@exemple.fr", demarche="occupation-domaine-public", service="voirie")
    for query in ("roux", "ines.roux@exemple", "0611223344", "06.11", "Inès Roux"):
        html = agent.get("/gestion/personnes/", query_string={"q": query}).get_data(as_text=True)
        assert "ines.roux@exemple.fr" in html, query
        assert "1 demande" in html  # the voirie request is not counted for an état-civil agent
    html = voirie.get("/gestion/personnes/", query_string={"q": "Roux"}).get_data(as_text=True)
    assert "ines.roux@exemple.fr" in html and "Inès Roux" not in html  # the voirie request has no name here
    entry = last_entry(app, "recherche_personnes")
    assert "roux" not in json.dumps(entry.details).lower()  # the audit trail holds numbers, not names
    assert own["reference"] not in voirie.get(f"/gestion/personnes/{person_id(app, 'ines.roux@exemple.fr')}") \
        .get_data(as_text=True)


def test_search_form_errors_are_400_in_french(agent):
    response = agent.get("/gestion/personnes/?q=x")
    assert response.status_code == 400 and "entre 2 et 200 caractères" in response.get_data(as_text=True)
    assert agent.get("/gestion/personnes/").status_code == 200


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["q", "page", "autre"]), st.text(max_size=60), max_size=3))
def test_any_search_gives_200_or_400(agent, params):
    assert agent.get("/gestion/personnes/", query_string=params).status_code in (200, 400)


def test_a_file_shows_requests_messages_and_reports_and_every_look_is_logged(app, make_staff):
    superviseur = signed_in(app, make_staff, ("superviseur", "etat-civil"))
    request = add_request(app, email="marc.blanc@exemple.fr", name=("Marc", "Blanc"), message="Voici mon justificatif")
    add_report(app, contact_email="Marc.Blanc@exemple.fr", text="Le bouton ne marche pas")
    number = person_id(app, "marc.blanc@exemple.fr")
    html = superviseur.get(f"/gestion/personnes/{number}").get_data(as_text=True)
    assert request["reference"] in html and "Voici mon justificatif" in html and "Le bouton ne marche pas" in html
    assert "Dossier de Marc Blanc" in html
    entry = last_entry(app, "consultation_personne")
    assert entry.target_type == "personne" and entry.target_id == str(number)


def test_agents_do_not_see_reports_nor_other_services_files(app, agent, voirie):
    add_request(app, email="zoe.vert@exemple.fr", name=("Zoé", "Vert"))
    add_report(app, contact_email="zoe.vert@exemple.fr", text="Texte du signalement de Zoé")
    number = person_id(app, "zoe.vert@exemple.fr")
    assert "Texte du signalement de Zoé" not in agent.get(f"/gestion/personnes/{number}").get_data(as_text=True)
    assert voirie.get(f"/gestion/personnes/{number}").status_code == 404
    assert voirie.get("/gestion/personnes/999999").status_code == 404


def test_attach_and_detach_by_hand_can_be_undone(app, agent, voirie):
    mine = add_request(app, email="paul.noir@exemple.fr", name=("Paul", "Noir"))
    counter = add_request(app, email=None, name=("Paul", "Noir"))
    other_service = add_request(app, email=None, demarche="occupation-domaine-public", service="voirie")
    number = person_id(app, "paul.noir@exemple.fr")
    path = f"/gestion/personnes/{number}"
    response = agent.post(f"{path}/rattacher", data={"csrf_token": token(agent, path), "reference": counter["reference"]})
    assert response.status_code == 302
    assert counter["reference"] in agent.get(path).get_data(as_text=True)
    assert last_entry(app, "rattachement_personne").details == {"demande": counter["reference"]}
    refused = agent.post(f"{path}/rattacher", data={"csrf_token": token(agent, path),
                                                     "reference": other_service["reference"]})
    assert refused.status_code == 400 and "Aucune demande de vos services" in refused.get_data(as_text=True)
    assert agent.post(f"{path}/detacher/{other_service['id']}",
                      data={"csrf_token": token(agent, path)}).status_code == 404
    assert agent.post(f"{path}/detacher/{mine['id']}", data={"csrf_token": token(agent, path)}).status_code == 302
    html = agent.get(path).get_data(as_text=True)
    assert "Demandes détachées" in html and f"Rattacher à nouveau {mine['reference']}" in html
    assert agent.post(f"{path}/rattacher", data={"csrf_token": token(agent, path),
                                                 "reference": mine["reference"]}).status_code == 302
    assert "Demandes détachées" not in agent.get(path).get_data(as_text=True)
    assert agent.post(f"{path}/detacher/{mine['id']}", data={}).status_code == 400  # no CSRF token


def test_dpo_export_is_complete_and_audited(app, dpo):
    request = add_request(app, email="eva.gris@exemple.fr", name=("Eva", "Gris"), message="Ma question",
                          file=b"%PDF-1.4")
    voirie_request = add_request(app, email="eva.gris@exemple.fr", demarche="occupation-domaine-public",
                                 service="voirie")
    add_report(app, contact_email="eva.gris@exemple.fr", text="Signalement d'Eva")
    number = person_id(app, "eva.gris@exemple.fr")
    dpo.get(f"/gestion/personnes/{number}")
    response = dpo.get(f"/gestion/personnes/{number}/export.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    content = response.get_json()
    assert content["personne"]["email"] == "eva.gris@exemple.fr"
    exported = {row["reference"]: row for row in content["demandes"]}
    assert set(exported) == {request["reference"], voirie_request["reference"]}
    row = exported[request["reference"]]
    assert row["identite"]["identite_nom"] == "Gris" and row["reponses"] == {"motif": "Pour un dossier"}
    assert row["messages"][0]["texte"] == "Ma question" and row["fichiers"][0]["nom"] == "piece.pdf"
    assert [step["statut"] for step in row["historique"]] == ["recue"] and row["versions"] == []
    assert content["signalements"][0]["texte"] == "Signalement d'Eva"
    assert any(entry["action"] == "consultation_personne" for entry in content["journal"])
    assert last_entry(app, "export_personne").details == {"format": "json"}
    page = dpo.get(f"/gestion/personnes/{number}/export").get_data(as_text=True)
    assert request["reference"] in page and "Ma question" in page and "piece.pdf" in page
    assert "Signalement d&#39;Eva" in page


def test_erasure_is_refused_while_a_request_is_processed_then_deletes_everything(app, dpo):
    open_request = add_request(app, email="hugo.brun@exemple.fr", status="en_instruction", file=b"bytes")
    add_report(app, contact_email="hugo.brun@exemple.fr")
    number = person_id(app, "hugo.brun@exemple.fr")
    path = f"/gestion/personnes/{number}/effacement"
    page = dpo.get(path).get_data(as_text=True)
    assert "encore en cours de traitement" in page and open_request["reference"] in page
    refused = dpo.post(path, data={"csrf_token": token(dpo, f"/gestion/personnes/{number}"), "confirmation": "y"})
    assert refused.status_code == 409 and open_request["reference"] in refused.get_data(as_text=True)
    with app.app_context():
        session = db.session()
        row = session.get(DemarcheRequest, open_request["id"])
        row.status = "acceptee"
        session.commit()
    unconfirmed = dpo.post(path, data={"csrf_token": token(dpo, path)})
    assert unconfirmed.status_code == 400 and "Cochez la case" in unconfirmed.get_data(as_text=True)
    assert dpo.post(path, data={"csrf_token": token(dpo, path), "confirmation": "y"}).status_code == 302
    with app.app_context():
        session = db.session()
        assert session.get(DemarcheRequest, open_request["id"]) is None
        assert session.get(Person, number) is None
        assert session.scalar(select(Report).where(Report.contact_email == "hugo.brun@exemple.fr")) is None
    assert not (Path(app.config["UPLOAD_DIR"]) / open_request["files"][0]).exists()
    entry = last_entry(app, "effacement_personne")
    assert entry.details == {"demandes": [open_request["reference"]], "fichiers": 1, "signalements": 1}
    assert "hugo" not in json.dumps(entry.details) and entry.target_id == str(number)


@pytest.mark.parametrize("path", ["/gestion/personnes/{n}/export", "/gestion/personnes/{n}/export.json",
                                  "/gestion/personnes/{n}/effacement"])
def test_dpo_tools_are_refused_to_agents_and_supervisors(app, make_staff, agent, path):
    add_request(app, email="lina.or@exemple.fr")
    number = person_id(app, "lina.or@exemple.fr")
    superviseur = signed_in(app, make_staff, ("superviseur", "etat-civil"))
    for client in (agent, superviseur):
        assert client.get(path.format(n=number)).status_code == 403
