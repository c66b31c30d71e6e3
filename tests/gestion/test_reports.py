"""Difficulty reports in the back office: filters, grouping by page title, answers, private replies, audit."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.feedback.models import Report
from guichet.mail.models import OutboxMessage
from tests.gestion.conftest import open_session


@pytest.fixture
def supervisor(app, make_staff):
    client = app.test_client()
    open_session(app, client, make_staff(("superviseur", "etat-civil")))
    return client


def add_report(app, **values) -> int:
    with app.app_context():
        report = Report(category=values.get("category", "comprendre"), text=values.get("text", "Je ne comprends pas"),
                        contact_email=values.get("contact_email"), page=values.get("page", "/fiches/rsa"),
                        lang="fr", device="mobile", status=values.get("status", "nouveau"))
        db.session().add(report)
        db.session().commit()
        return report.id


def token(client, path) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_agents_do_not_see_reports(app, make_staff):
    client = app.test_client()
    open_session(app, client, make_staff(("agent", "etat-civil")))
    assert client.get("/gestion/signalements/").status_code == 403


def test_reports_are_grouped_under_the_page_title_and_filtered(app, supervisor):
    add_report(app, page="/fiches/rsa", text="Texte RSA unique", contact_email="lea@exemple.fr")
    add_report(app, page="/aide", text="Texte aide unique", category="marche-pas")
    html = supervisor.get("/gestion/signalements/").get_data(as_text=True)
    assert "Texte RSA unique" in html and "lea@exemple.fr" in html
    assert re.search(r'<h2 id="page-\d+">Demander le revenu de solidarité active \(RSA\) '
                     r'<span class="aide">\(/fiches/rsa\)</span></h2>', html)
    filtered = supervisor.get("/gestion/signalements/?categorie=marche-pas").get_data(as_text=True)
    assert "Texte aide unique" in filtered and "Texte RSA unique" not in filtered


@pytest.mark.parametrize("query", ["statut=inconnu", "depuis=2026-13-45", "depuis=2026-12-10&jusqu_au=2026-12-01",
                                   "page=" + "x" * 400, "categorie=%00"])
def test_bad_filters_get_a_french_message_and_400(supervisor, query):
    response = supervisor.get(f"/gestion/signalements/?{query}")
    assert response.status_code == 400
    assert "Il y a un problème" in response.get_data(as_text=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["statut", "categorie", "page", "depuis", "jusqu_au"]),
                       st.text(max_size=40), max_size=5))
def test_any_filter_values_give_200_or_400(supervisor, params):
    assert supervisor.get("/gestion/signalements/", query_string=params).status_code in (200, 400)


def test_public_answer_shows_on_the_public_follow_up_under_the_title(app, supervisor):
    report_id = add_report(app, page="/fiches/rsa")
    path = f"/gestion/signalements/{report_id}"
    response = supervisor.post(f"{path}/reponse", data={"csrf_token": token(supervisor, path), "status": "traité",
                                                          "public_answer": "Nous avons réécrit la fiche."})
    assert response.status_code == 302
    public = app.test_client().get("/signalements/suivi-public").get_data(as_text=True)
    assert "Nous avons réécrit la fiche." in public and "/fiches/rsa</h2>" not in public


def test_private_reply_goes_to_the_contact_address_only(app, supervisor):
    report_id = add_report(app, contact_email="sam@exemple.fr")
    path = f"/gestion/signalements/{report_id}"
    response = supervisor.post(f"{path}/courriel", data={"csrf_token": token(supervisor, path),
                                                           "text": "Merci, c'est corrigé."})
    assert response.status_code == 302
    with app.app_context():
        message = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert message.recipient == "sam@exemple.fr" and "Merci, c'est corrigé." in message.body
        assert db.session().get(Report, report_id).status == "en cours"
        assert db.session().scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "reponse_privee_signalement", AuditEntry.target_id == str(report_id))) == 1


def test_reply_without_address_or_text_is_refused_and_changes_nothing(app, supervisor):
    silent = add_report(app)
    path = f"/gestion/signalements/{silent}"
    assert supervisor.post(f"{path}/courriel", data={"csrf_token": token(supervisor, path), "text": "x"}).status_code == 400
    with_address = add_report(app, contact_email="a@exemple.fr")
    path = f"/gestion/signalements/{with_address}"
    with app.app_context():
        before = db.session().scalar(select(func.count()).select_from(OutboxMessage))
    assert supervisor.post(f"{path}/courriel", data={"csrf_token": token(supervisor, path), "text": ""}).status_code == 400
    assert supervisor.post(f"{path}/reponse", data={"csrf_token": token(supervisor, path), "status": "fini"}).status_code == 400
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(OutboxMessage)) == before
        assert db.session().get(Report, with_address).status == "nouveau"


def test_unknown_report_is_404(supervisor):
    assert supervisor.get("/gestion/signalements/999999").status_code == 404


def test_every_look_at_the_list_is_audited(app, supervisor):
    with app.app_context():
        before = db.session().scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "consultation_signalements"))
    supervisor.get("/gestion/signalements/?statut=nouveau")
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "consultation_signalements")) == before + 1
