"""The request page over HTTP: answers, files, versions, timeline, notes, messages, presence, isolation."""
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from a11y.walker import small_png, token_of
from guichet import db
from guichet.audit.models import AuditEntry
from guichet.db import utcnow
from guichet.demarches import storage
from guichet.demarches.models import StoredFile
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest, RequestMessage, RequestPresence, RequestVersion
from guichet.staff.models import StaffMember
from tests.gestion.conftest import open_session
from tests.gestion.request_helpers import load, submit_request


def signed_in(app, make_staff, *roles, name=("Camille", "Martin")):
    member = make_staff(*roles)
    client = app.test_client()
    open_session(app, client, member)  # merges `member`: rename afterwards
    with app.app_context():
        row = db.session().get(StaffMember, member.id)
        row.given_name, row.family_name = name
        db.session().commit()
    return member, client


def count(app, model, *where):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model).where(*where))


def audit_actions(app, reference):
    with app.app_context():
        return [entry.action for entry in db.session().scalars(
            select(AuditEntry).where(AuditEntry.target_id == reference).order_by(AuditEntry.id))]


def add_file(app, reference, name, data, mimetype, extension):
    with app.app_context():
        session = db.session()
        row = session.scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        stored = StoredFile(request_id=row.id, question="document", original_name=name,
                            stored_name=f"test{utcnow().timestamp()}{len(name)}.{extension}".replace(".", "", 1),
                            mimetype=mimetype, size=len(data))
        session.add(stored)
        session.flush()
        storage.backend().write(session, stored, data)
        session.commit()
        return stored.id


def update(app, reference, **values):
    with app.app_context():
        row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        for key, value in values.items():
            setattr(row, key, value)
        db.session().commit()


@pytest.fixture
def request_ref(app):
    return submit_request(app)


@pytest.fixture
def agent(app, make_staff):
    return signed_in(app, make_staff, ("agent", "education"))


def test_agent_sees_answers_identity_files_and_the_view_is_audited(app, request_ref, agent):
    reference, _citizen = request_ref
    _member, client = agent
    response = client.get(f"/gestion/demandes/{reference}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert f"Demande {reference}" in html
    assert "Quel est votre quotient familial de la CAF ?" in html
    assert "marie.dupont@example.fr" in html and "Identité du demandeur" in html
    assert "En ligne" in html and "Reçue" in html
    row = load(app, reference)
    assert row.files, "the walk sends a file"
    stored = row.files[0]
    assert f"/gestion/demandes/{reference}/fichiers/{stored.id}/apercu" in html
    assert f"Télécharger {stored.original_name}" in html and "Image PNG" in html
    assert audit_actions(app, reference) == ["consultation"]


def test_answers_are_labelled_not_raw_codes(app, request_ref, agent):
    reference, _citizen = request_ref
    row = load(app, reference)
    html = agent[1].get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    for key in row.answers:
        assert f"<dt lang=\"fr\">{key}</dt>" not in html, f"{key} shown without its label"


def test_superviseur_sees_requests_of_their_services(app, request_ref, make_staff):
    reference, _citizen = request_ref
    _member, client = signed_in(app, make_staff, ("superviseur", "education"))
    assert client.get(f"/gestion/demandes/{reference}").status_code == 200


def every_route(reference, file_id):
    return [("GET", f"/gestion/demandes/{reference}"), ("GET", f"/gestion/demandes/{reference}/presence"),
            ("GET", f"/gestion/demandes/{reference}/modele?modele=bien-recue"),
            ("GET", f"/gestion/demandes/{reference}/fichiers/{file_id}"),
            ("GET", f"/gestion/demandes/{reference}/fichiers/{file_id}/apercu"),
            ("POST", f"/gestion/demandes/{reference}/messages"), ("POST", f"/gestion/demandes/{reference}/notes")]


@pytest.mark.parametrize("roles", [(("agent", "voirie"),), (("superviseur", "voirie"), ("agent", "etat-civil"))])
def test_staff_of_another_service_get_404_on_every_route_and_change_nothing(app, request_ref, make_staff, roles):
    reference, _citizen = request_ref
    _member, client = signed_in(app, make_staff, *roles)
    token = token_of(client.get("/gestion/").get_data(as_text=True))
    file_id = load(app, reference).files[0].id
    for method, path in every_route(reference, file_id):
        data = {"csrf_token": token, "body": "Bonjour", "text": "Note"} if method == "POST" else None
        assert client.open(path, method=method, data=data).status_code == 404, path
    row = load(app, reference)
    assert not row.messages and not row.events
    assert audit_actions(app, reference) == []
    assert count(app, RequestPresence, RequestPresence.request_id == row.id) == 0


def test_unknown_reference_gives_404_on_every_route(app, agent):
    client = agent[1]
    token = token_of(client.get("/gestion/").get_data(as_text=True))
    for method, path in every_route("ADM-1999-999999", 1):
        data = {"csrf_token": token, "body": "Bonjour", "text": "Note"} if method == "POST" else None
        response = client.open(path, method=method, data=data)
        assert response.status_code == 404, path
    assert "introuvable" in client.get("/gestion/demandes/ADM-1999-999999").get_data(as_text=True).lower()


def test_download_is_an_attachment_with_a_safe_name_and_is_audited(app, request_ref, agent):
    reference, _citizen = request_ref
    client = agent[1]
    pdf = add_file(app, reference, 'facture "mai"\r\n.html', b"%PDF-1.4 test", "application/pdf", "pdf")
    response = client.get(f"/gestion/demandes/{reference}/fichiers/{pdf}")
    assert response.status_code == 200 and response.data == b"%PDF-1.4 test"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert 'filename="facture mai.pdf"' in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/gestion/demandes/{reference}/fichiers/{pdf}/apercu").status_code == 404
    image = load(app, reference).files[0]
    preview = client.get(f"/gestion/demandes/{reference}/fichiers/{image.id}/apercu")
    assert preview.status_code == 200 and preview.mimetype == "image/png"
    assert preview.headers["Content-Disposition"].startswith("inline")
    assert audit_actions(app, reference).count("telechargement") == 2


def test_a_file_of_another_request_is_not_reachable_through_this_one(app, request_ref, agent):
    reference, _citizen = request_ref
    other, _ = submit_request(app)
    other_file = load(app, other).files[0].id
    client = agent[1]
    assert client.get(f"/gestion/demandes/{reference}/fichiers/{other_file}").status_code == 404
    assert client.get(f"/gestion/demandes/{reference}/fichiers/{other_file}/apercu").status_code == 404
    assert client.get(f"/gestion/demandes/{other}/fichiers/{other_file}").status_code == 200


def test_corrections_show_each_version_and_what_changed(app, request_ref, agent):
    reference, _citizen = request_ref
    row = load(app, reference)
    with app.app_context():
        session = db.session()
        live = session.get(DemarcheRequest, row.id)
        changed = {**live.identity, "identite_nom": "Durand"}
        live.versions.append(RequestVersion(version=2, definition_version=live.definition_version,
                                            identity=changed, answers=live.answers))
        live.version, live.identity = 2, changed
        session.commit()
    html = agent[1].get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert "Corrections du demandeur" in html and "Version 2" in html
    table = html[html.index("Version 2"):html.index("</table>", html.index("Version 2"))]
    assert "Nom de famille" in table and "Durand" in table
    assert re.search(r"<td lang=\"fr\">\s*Dupont\s*</td>", table) or "Dupont" in table


def test_agent_message_goes_by_email_to_the_request_address_and_shows_on_tracking(app, request_ref, agent):
    reference, citizen = request_ref
    client = agent[1]
    before = citizen.get(f"/suivi/{reference}").get_data(as_text=True)
    assert "Le service vous a écrit" not in before
    page = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    outbox_before = count(app, OutboxMessage)
    response = client.post(f"/gestion/demandes/{reference}/messages",
                           data={"csrf_token": token_of(page), "body": "Bonjour,\nil manque la page 2."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#fil")
    assert "Message envoyé par e-mail" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert count(app, OutboxMessage) == outbox_before + 1
    with app.app_context():
        mail = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert mail.recipient == load(app, reference).email
        assert "il manque la page 2." in mail.body and reference in mail.subject
    tracking = citizen.get(f"/suivi/{reference}").get_data(as_text=True)
    assert "Le service vous a écrit 1 message." in tracking and "il manque la page 2." in tracking
    assert "message" in audit_actions(app, reference)


def test_agent_message_without_email_stays_on_tracking_and_says_so(app, request_ref, agent):
    reference, citizen = request_ref
    update(app, reference, email=None)
    client = agent[1]
    page = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert "Cette demande n'a pas d'adresse e-mail" in page.replace("&#39;", "'")
    outbox_before = count(app, OutboxMessage)
    response = client.post(f"/gestion/demandes/{reference}/messages",
                           data={"csrf_token": token_of(page), "body": "Rappelez-nous."}, follow_redirects=True)
    assert "seulement sur la page de suivi" in response.get_data(as_text=True)
    assert count(app, OutboxMessage) == outbox_before
    assert "Rappelez-nous." in citizen.get(f"/suivi/{reference}").get_data(as_text=True)


@pytest.mark.parametrize("body, error", [("", "Écrivez le message."), ("   \n ", "Écrivez le message."),
                                         ("x" * 5001, "Ce message est trop long")])
def test_bad_agent_message_is_refused_and_changes_nothing(app, request_ref, agent, body, error):
    reference, _citizen = request_ref
    client = agent[1]
    page = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    outbox_before = count(app, OutboxMessage)
    response = client.post(f"/gestion/demandes/{reference}/messages", data={"csrf_token": token_of(page), "body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and error in html.replace("&#39;", "'")
    assert "Il y a un problème" in html and "<title>Erreur :" in html
    assert not load(app, reference).messages and count(app, OutboxMessage) == outbox_before


def test_a_post_without_csrf_token_is_refused(app, request_ref, agent):
    reference, _citizen = request_ref
    response = agent[1].post(f"/gestion/demandes/{reference}/messages", data={"body": "Bonjour"})
    assert response.status_code == 400 and not load(app, reference).messages


def test_internal_notes_are_in_the_timeline_and_never_on_tracking(app, request_ref, agent):
    reference, citizen = request_ref
    client = agent[1]
    page = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    response = client.post(f"/gestion/demandes/{reference}/notes",
                           data={"csrf_token": token_of(page), "text": "Appelé le demandeur : absent."})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    timeline = html[html.index('id="chronologie"'):]
    assert "Note interne" in timeline and "Appelé le demandeur : absent." in timeline and "Camille Martin" in timeline
    tracking = citizen.get(f"/suivi/{reference}").get_data(as_text=True)
    assert "Appelé le demandeur" not in tracking and "Note interne" not in tracking
    assert "note" in audit_actions(app, reference)


@pytest.mark.parametrize("text, error", [("", "Écrivez la note."), ("n" * 2001, "Cette note est trop longue")])
def test_bad_note_is_refused(app, request_ref, agent, text, error):
    reference, _citizen = request_ref
    client = agent[1]
    page = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    response = client.post(f"/gestion/demandes/{reference}/notes", data={"csrf_token": token_of(page), "text": text})
    assert response.status_code == 400 and error in response.get_data(as_text=True)
    assert not load(app, reference).events


def test_timeline_is_newest_first(app, request_ref, agent):
    reference, _citizen = request_ref
    client = agent[1]
    for text in ("Première note", "Deuxième note"):
        page = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
        client.post(f"/gestion/demandes/{reference}/notes", data={"csrf_token": token_of(page), "text": text})
    html = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert html.index("Deuxième note") < html.index("Première note") < html.index("Situation : Reçue")


# --- Reply templates ---------------------------------------------------------------------------------------

def test_a_template_prefills_the_message_without_js_and_in_place_with_htmx(app, request_ref, agent):
    reference, _citizen = request_ref
    client = agent[1]
    html = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert 'value="bien-recue"' in html and 'value="acte-envoye"' not in html
    prefilled = client.get(f"/gestion/demandes/{reference}?modele=bien-recue").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*id="body"[^>]*>(.*?)</textarea>', prefilled, re.S).group(1)
    assert f"votre demande {reference}" in textarea and "Camille Martin" in textarea and "{" not in textarea
    fragment = client.get(f"/gestion/demandes/{reference}/modele?modele=bien-recue").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="zone-message">') and reference in fragment
    assert "<html" not in fragment
    other = client.get(f"/gestion/demandes/{reference}/modele?modele=acte-envoye").get_data(as_text=True)
    assert reference not in re.search(r"<textarea[^>]*>(.*?)</textarea>", other, re.S).group(1)


# --- The citizen's reply -----------------------------------------------------------------------------------

def reply(citizen, reference, body, uploads=()):
    page = citizen.get(f"/suivi/{reference}").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "body": body,
            "fichiers": [(io.BytesIO(content), name) for name, content in uploads]}
    return citizen.post(f"/suivi/{reference}/messages", data=data, content_type="multipart/form-data")


def test_citizen_reply_loop_notifies_the_service_then_the_owner_and_is_read_by_the_agent(app, request_ref, agent):
    reference, citizen = request_ref
    member, client = agent
    response = reply(citizen, reference, "Voici la page 2.", [("page2.png", small_png())])
    assert response.status_code == 302 and response.headers["Location"].endswith("#messages")
    tracking = citizen.get(response.headers["Location"]).get_data(as_text=True)
    assert "Votre message est envoyé au service." in tracking and "Voici la page 2." in tracking
    assert "Le service vous a écrit" not in tracking
    row = load(app, reference)
    message = row.messages[-1]
    assert message.sender == "demandeur" and message.read_at is None
    attached = [stored for stored in row.files if stored.message_id == message.id]
    assert len(attached) == 1 and attached[0].mimetype == "image/png"
    with app.app_context():
        notice = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert notice.recipient == app.config["SETTINGS"]["services"]["education"]["email"]
        assert f"/gestion/demandes/{reference}" in notice.body and "Voici la page 2." not in notice.body
    update(app, reference, owner_id=member.id)
    assert reply(citizen, reference, "Et la page 3.").status_code == 302
    with app.app_context():
        notice = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert notice.recipient == member.email
    html = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert "Message du demandeur" in html and "Voici la page 2." in html and "page2.png" in html
    assert all(message.read_at for message in load(app, reference).messages)
    assert client.get(f"/gestion/demandes/{reference}/fichiers/{attached[0].id}").status_code == 200


@pytest.mark.parametrize("body, uploads, error", [
    ("", [], "Écrivez votre message."),
    ("x" * 5001, [], "Votre message est trop long"),
    ("Voici", [("photo.png", b"<html>not an image</html>")], "Ce type de fichier n'est pas accepté"),
    ("Voici", [("vide.pdf", b"")], "Le fichier est vide"),
    ("Voici", [(f"p{n}.png", small_png()) for n in range(6)], "5 fichiers au maximum"),
])
def test_bad_citizen_reply_is_refused_and_changes_nothing(app, request_ref, body, uploads, error):
    reference, citizen = request_ref
    files_before, outbox_before = count(app, StoredFile), count(app, OutboxMessage)
    response = reply(citizen, reference, body, uploads)
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 400 and error in html and "Il y a un problème" in html
    assert not load(app, reference).messages
    assert count(app, StoredFile) == files_before and count(app, OutboxMessage) == outbox_before


def test_reply_needs_tracking_access(app, request_ref):
    reference, _citizen = request_ref
    stranger = app.test_client()
    token = token_of(stranger.get("/suivi").get_data(as_text=True))
    response = stranger.post(f"/suivi/{reference}/messages", data={"csrf_token": token, "body": "Bonjour"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/suivi/{reference}")
    assert not load(app, reference).messages


# --- Presence ----------------------------------------------------------------------------------------------

def test_a_colleague_with_the_request_open_is_shown_and_never_blocks(app, request_ref, make_staff):
    reference, _citizen = request_ref
    _first, first_client = signed_in(app, make_staff, ("agent", "education"), name=("Alix", "Bernard"))
    _second, second_client = signed_in(app, make_staff, ("agent", "education"), name=("Sacha", "Roux"))
    assert "Aussi ouverte par" not in first_client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    html = second_client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert re.search(r"Aussi ouverte par Alix Bernard depuis \d{1,2} h \d{2}", html)
    assert 'data-hx-trigger="every 30s"' in html
    fragment = first_client.get(f"/gestion/demandes/{reference}/presence").get_data(as_text=True)
    assert "Aussi ouverte par Sacha Roux" in fragment and "<html" not in fragment
    assert audit_actions(app, reference).count("consultation") == 2  # polling is not a new consultation
    row = load(app, reference)
    with app.app_context():
        for presence_row in db.session().scalars(select(RequestPresence).where(RequestPresence.request_id == row.id)):
            presence_row.seen_at = utcnow() - timedelta(minutes=3)
        db.session().commit()
    assert "Aussi ouverte par" not in first_client.get(f"/gestion/demandes/{reference}/presence").get_data(as_text=True)


def test_message_counts_in_the_thread(app, request_ref, agent):
    reference, citizen = request_ref
    with app.app_context():
        row = db.session().scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        row.messages += [RequestMessage(sender="service", body="Un"), RequestMessage(sender="service", body="Deux")]
        db.session().commit()
    assert "Le service vous a écrit 2 messages." in citizen.get(f"/suivi/{reference}").get_data(as_text=True)


def test_the_request_page_shows_who_acted_for_the_person(app, make_staff):
    from guichet.demarches import intermediary
    reference, _citizen = submit_request(app, choices={
        intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE, intermediary.ROLE: "lieu-aide",
        "identite_destinataire": "aidant", intermediary.HELPER_EMAIL: "agent@france-services.example.fr"})
    _member, client = signed_in(app, make_staff, ("agent", "education"))
    html = client.get(f"/gestion/demandes/{reference}").get_data(as_text=True).replace("&#39;", "'")
    helper = html[html.index('id="intermediaire"'):]
    assert "Un agent d'un lieu d'aide, comme France services" in helper
    assert "agent@france-services.example.fr" in helper and "06 12 34 56 78" in helper
    identity = html[html.index('id="identite"'):html.index('id="intermediaire"')]
    assert "Qui êtes-vous pour cette personne" not in identity
    assert load(app, reference).email == "agent@france-services.example.fr"
