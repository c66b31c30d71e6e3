"""Decision letters and the L232-3 attestation: HTML and PDF/UA, appeal routes, reasons required, storage,
per-service isolation, audit, and the citizen's tracking page."""
import html as html_text
import re
import zlib

import pytest
from sqlalchemy import select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.demarches import storage
from tests.gestion.conftest import open_session
from tests.requests.helpers import SECRET, load, mails_to, make_request

TOKEN_RE = re.compile(r'name="(?:[a-z_]+-)?csrf_token"[^>]*value="([^"]+)"')
STREAM_RE = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


@pytest.fixture
def agent_client(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    open_session(app, client, member)
    client.member = member
    return client


def token(client, page="/gestion/") -> str:
    return TOKEN_RE.search(client.get(page).get_data(as_text=True)).group(1)


def act(client, reference, action, note=""):
    return client.post(f"/gestion/demandes/{reference}/actions/{action}",
                       data={f"{action}-csrf_token": token(client), f"{action}-note": note})


def citizen_for(app, reference):
    citizen = app.test_client()
    citizen.post("/suivi", data={"csrf_token": token(citizen, "/suivi"), "reference": reference, "secret": SECRET})
    return citizen


def pdf_content(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so its structure and metadata can be read."""
    inflated = []
    for stream in STREAM_RE.findall(pdf):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            inflated.append(stream)
    return pdf + b"\n".join(inflated)


def pdf_text(pdf: bytes) -> str | None:
    """The text a screen reader gets, when pypdf is installed."""
    try:
        import pypdf
    except ImportError:
        return None
    import io
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def letters_of(app, reference):
    with app.app_context():
        row = load(db.session(), reference)
        return [(letter.id, letter.kind, dict(letter.facts), storage.backend().read(db.session(), letter.file))
                for letter in row.letters]


def test_a_refusal_gives_a_letter_with_reasons_signatory_and_appeal_routes(app, agent_client):
    reference = make_request(app, status="en_instruction", email="lettre-refus@example.test")
    reasons = "L'acte demandé n'est pas détenu par la mairie d'Admiville.\nIl est détenu par la commune de naissance."
    assert act(agent_client, reference, "refuser", reasons).status_code == 302
    [(letter_id, kind, facts, pdf)] = letters_of(app, reference)
    assert kind == "decision" and facts["status"] == "refusee" and facts["reasons"] == reasons
    assert facts["signatory"] == {"name": "Camille Martin",
                                  "title": "Pour le maire et par délégation, officier de l'état civil"}
    page = html_text.unescape(agent_client.get(f"/gestion/demandes/{reference}/courriers/{letter_id}")
                              .get_data(as_text=True))
    for expected in ("Ville d'Admiville", "Service état civil de la mairie d'Admiville", reference,
                     "Décision : votre demande est refusée", "Les raisons de ce refus",
                     "L'acte demandé n'est pas détenu par la mairie d'Admiville.", "Camille Martin",
                     "officier de l'état civil", "le recours gracieux", "le maire d'Admiville",
                     "le recours hiérarchique", "au procureur de la République", "le recours contentieux",
                     "Tribunal administratif d'Admiville", "Télérecours citoyens", "https://citoyens.telerecours.fr",
                     "Vous avez 2 mois pour contester", "L211-2", "R421-5", '<html lang="fr">', "Télécharger ce courrier"):
        assert expected in page, expected
    assert pdf.startswith(b"%PDF-")
    content = pdf_content(pdf)
    assert b"/StructTreeRoot" in content and b"/Lang (fr)" in content and b"/MarkInfo" in content
    assert re.search(rb"pdfuaid:part(?:>|=\")1", content)
    assert b"/H1" in content and b"/H2" in content
    text = pdf_text(pdf)
    if text is not None:
        assert "recours contentieux" in text and "Tribunal administratif" in text and "Camille Martin" in text
    [mail] = [mail for mail in mails_to(app, "lettre-refus@example.test") if "Refusée" in mail.subject]
    assert f"/suivi/{reference}/courriers/{letter_id}" in mail.body


def test_the_letter_pdf_is_downloaded_and_every_look_is_audited(app, agent_client):
    reference = make_request(app, status="en_instruction")
    act(agent_client, reference, "accepter", "Votre acte part par la poste demain.")
    [(letter_id, _kind, facts, pdf)] = letters_of(app, reference)
    assert facts["title"] == "Décision : votre demande est acceptée"
    response = agent_client.get(f"/gestion/demandes/{reference}/courriers/{letter_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data == pdf
    assert f"decision-{reference}.pdf" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    agent_client.get(f"/gestion/demandes/{reference}/courriers/{letter_id}")
    with app.app_context():
        formats = db.session().scalars(select(AuditEntry.details).where(
            AuditEntry.target_id == reference, AuditEntry.action == "telechargement")).all()
    assert [details["format"] for details in formats] == ["pdf", "html"]
    page = agent_client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert f"/gestion/demandes/{reference}/courriers/{letter_id}.pdf" in page
    assert "Documents envoyés" in page and f"Télécharger decision-{reference}" not in page


def test_a_refusal_without_reasons_is_refused_and_makes_no_letter(app, agent_client):
    reference = make_request(app, status="en_instruction", email="sans-raisons@example.test")
    response = act(agent_client, reference, "refuser", "   ")
    assert response.status_code == 400
    assert "Écrivez les raisons du refus : la loi les rend obligatoires." in html_text.unescape(
        response.get_data(as_text=True))
    assert letters_of(app, reference) == []
    with app.app_context():
        assert load(db.session(), reference).status == "en_instruction"
    assert mails_to(app, "sans-raisons@example.test") == []


def test_an_agent_of_another_service_gets_404_on_every_letter_route(app, agent_client, make_staff):
    reference = make_request(app, status="en_instruction")
    act(agent_client, reference, "accepter", "Oui.")
    [(letter_id, *_rest)] = letters_of(app, reference)
    other = app.test_client()
    open_session(app, other, make_staff(("agent", "voirie"), ("superviseur", "voirie")))
    assert other.get(f"/gestion/demandes/{reference}/courriers/{letter_id}").status_code == 404
    assert other.get(f"/gestion/demandes/{reference}/courriers/{letter_id}.pdf").status_code == 404
    assert other.post(f"/gestion/demandes/{reference}/attestation",
                      data={"csrf_token": token(other)}).status_code == 404
    assert agent_client.get(f"/gestion/demandes/{reference}/courriers/{letter_id + 1000}").status_code == 404


def test_the_citizen_reads_the_letter_on_the_tracking_page(app, agent_client):
    reference = make_request(app, status="en_instruction")
    act(agent_client, reference, "classer", "Vous avez fait la même demande deux fois.")
    [(letter_id, _kind, facts, pdf)] = letters_of(app, reference)
    assert facts["title"] == "Votre demande est classée sans suite"
    stranger = app.test_client()
    assert "Télécharger" not in stranger.get(f"/suivi/{reference}/courriers/{letter_id}").get_data(as_text=True)
    assert stranger.get(f"/suivi/{reference}/courriers/{letter_id}.pdf").status_code == 404
    citizen = citizen_for(app, reference)
    page = html_text.unescape(citizen.get(f"/suivi/{reference}").get_data(as_text=True))
    assert "Vos courriers" in page and f"/suivi/{reference}/courriers/{letter_id}.pdf" in page
    letter = html_text.unescape(citizen.get(f"/suivi/{reference}/courriers/{letter_id}").get_data(as_text=True))
    assert "Vous avez fait la même demande deux fois." in letter and "Retour au suivi de votre demande" in letter
    response = citizen.get(f"/suivi/{reference}/courriers/{letter_id}.pdf")
    assert response.status_code == 200 and response.data == pdf


def test_after_an_implicit_acceptance_the_citizen_gets_the_l232_3_attestation_once(app, agent_client):
    reference = make_request(app, status="acceptation_implicite")
    citizen = citizen_for(app, reference)
    page = html_text.unescape(citizen.get(f"/suivi/{reference}").get_data(as_text=True))
    assert "Obtenir mon attestation" in page
    form_token = token(citizen, f"/suivi/{reference}")
    response = citizen.post(f"/suivi/{reference}/attestation", data={"csrf_token": form_token})
    assert response.status_code == 302
    [(letter_id, kind, facts, pdf)] = letters_of(app, reference)
    assert kind == "attestation" and response.headers["Location"] == f"/suivi/{reference}/courriers/{letter_id}"
    letter = html_text.unescape(citizen.get(response.headers["Location"]).get_data(as_text=True))
    for expected in ("Attestation de décision implicite d'acceptation", "L232-3", "délai de 2 mois", reference):
        assert expected in letter, expected
    assert b"/StructTreeRoot" in pdf_content(pdf)
    assert citizen.post(f"/suivi/{reference}/attestation", data={"csrf_token": form_token}).status_code == 302
    assert len(letters_of(app, reference)) == 1
    assert "Obtenir mon attestation" not in citizen.get(f"/suivi/{reference}").get_data(as_text=True)
    staff_page = agent_client.get(f"/gestion/demandes/{reference}").get_data(as_text=True)
    assert f"/gestion/demandes/{reference}/courriers/{letter_id}" in staff_page


def test_the_back_office_produces_the_attestation_only_after_an_implicit_acceptance(app, agent_client):
    accepted = make_request(app, status="acceptation_implicite")
    page = agent_client.get(f"/gestion/demandes/{accepted}").get_data(as_text=True)
    assert "Produire l'attestation" in html_text.unescape(page)
    response = agent_client.post(f"/gestion/demandes/{accepted}/attestation", data={"csrf_token": token(agent_client)})
    assert response.status_code == 302
    [(_id, kind, facts, _pdf)] = letters_of(app, accepted)
    assert kind == "attestation" and "état civil" in facts["signatory"]["title"]
    open_request = make_request(app, status="en_instruction")
    response = agent_client.post(f"/gestion/demandes/{open_request}/attestation",
                                 data={"csrf_token": token(agent_client)})
    assert response.status_code == 409
    assert "seulement après une acceptation implicite" in html_text.unescape(response.get_data(as_text=True))
    assert letters_of(app, open_request) == []
    citizen = citizen_for(app, open_request)
    response = citizen.post(f"/suivi/{open_request}/attestation", data={"csrf_token": token(citizen, "/suivi")})
    assert response.status_code == 400 and letters_of(app, open_request) == []


def test_deleting_a_request_deletes_its_letters_and_their_pdf(app, agent_client):
    from guichet.demarches.models import StoredFile
    from guichet.privacy.deletion import delete_request
    from guichet.requests.models import RequestLetter
    reference = make_request(app, status="en_instruction")
    act(agent_client, reference, "refuser", "Hors délai.")
    [(letter_id, *_rest)] = letters_of(app, reference)
    with app.app_context():
        session = db.session()
        row = load(session, reference)
        file_id = row.letters[0].file_id
        assert delete_request(session, row) == 1
        session.commit()
        assert session.get(RequestLetter, letter_id) is None and session.get(StoredFile, file_id) is None


def test_with_database_storage_the_pdf_is_kept_in_the_database(app, agent_client, monkeypatch):
    """Every server sees a letter: with `database` storage its bytes are in stored_file_blobs."""
    from guichet.demarches.models import StoredFileBlob
    monkeypatch.setitem(app.config, "FILE_STORAGE", "database")
    reference = make_request(app, status="en_instruction")
    act(agent_client, reference, "refuser", "Hors délai.")
    [(letter_id, _kind, _facts, pdf)] = letters_of(app, reference)
    with app.app_context():
        file_id = load(db.session(), reference).letters[0].file_id
        assert db.session().get(StoredFileBlob, file_id).content == pdf
    assert agent_client.get(f"/gestion/demandes/{reference}/courriers/{letter_id}.pdf").data == pdf
