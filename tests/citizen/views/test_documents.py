"""The citizen's missing-documents loop: one page, one upload per item, each kept at once; reminders."""
import html as html_text
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from guichet import db
from guichet.demarches import storage
from guichet.requests import missing
from guichet.requests.models import MissingDocuments
from tests.gestion.conftest import make_staff, open_session  # noqa: F401 (fixture)
from tests.gestion.test_workflow_views import ask
from tests.requests.helpers import SECRET, load, mails_to, make_request
from a11y.walker import small_png, token_of


@pytest.fixture
def agent(app, make_staff):
    return make_staff(("agent", "etat-civil"))


def asked(app, agent, email: str, regime_slug: str = "demande-acte-etat-civil") -> str:
    """A request whose agent asked for two documents (one from the list, one written by hand)."""
    reference = make_request(app, regime_slug, status="en_instruction", email=email, owner_id=agent.id)
    client = app.test_client()
    open_session(app, client, agent)
    response = ask(client, reference, items=["liste-4"], other="Un justificatif de domicile",
                   deadline=(date.today() + timedelta(days=15)).isoformat())
    assert response.status_code == 302
    return reference


def citizen(app, reference: str):
    client = app.test_client()
    page = client.get("/suivi").get_data(as_text=True)
    response = client.post("/suivi", data={"csrf_token": token_of(page), "reference": reference, "secret": SECRET})
    assert response.status_code == 302
    return client


def send(client, reference: str, key: str, content: bytes, name: str = "piece.png"):
    page = client.get(f"/suivi/{reference}/pieces").get_data(as_text=True)
    # One CSRF token per session: any item's form gives it, even for an item that no longer has a form.
    token = re.search(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(f"/suivi/{reference}/pieces/{key}", content_type="multipart/form-data", data={
        f"piece-{key}-csrf_token": token, f"piece-{key}-document": (io.BytesIO(content), name)})


def test_the_tracking_page_leads_to_the_documents_page(app, agent):
    reference = asked(app, agent, "suivi-pieces@example.test")
    client = citizen(app, reference)
    page = html_text.unescape(client.get(f"/suivi/{reference}").get_data(as_text=True))
    assert "Documents à envoyer" in page and f"/suivi/{reference}/pieces" in page
    assert "Le service vous a écrit" not in page
    documents = html_text.unescape(client.get(f"/suivi/{reference}/pieces").get_data(as_text=True))
    assert "Un justificatif de domicile" in documents and "Si ce n'est pas votre acte" in documents
    assert documents.count('type="file"') == 2
    assert "Il reste 2 documents à envoyer." in documents


def test_documents_arrive_one_by_one_even_with_a_failed_upload_between(app, agent):
    reference = asked(app, agent, "upload@example.test")
    client = citizen(app, reference)
    first = send(client, reference, "1-liste-4", small_png())
    assert first.status_code == 302 and first.headers["Location"] == f"/suivi/{reference}/pieces"
    failed = send(client, reference, "1-libre-1", b"not a document at all", "virus.exe")
    assert failed.status_code == 400
    text = html_text.unescape(failed.get_data(as_text=True))
    assert "Ce type de fichier n'est pas accepté." in text and "Reçu." in text  # the first one is kept
    empty = send(client, reference, "1-libre-1", b"", "")
    assert empty.status_code == 400 and "Choisissez un fichier." in html_text.unescape(empty.get_data(as_text=True))
    with app.app_context():
        row = load(db.session(), reference)
        assert row.status == "incomplete"
        kept = [stored for stored in row.files if stored.question.startswith("piece:")]
        assert [stored.question for stored in kept] == ["piece:1-liste-4"]
        assert storage.backend().read(db.session(), kept[0])[:8] == b"\x89PNG\r\n\x1a\n"
    again = send(client, reference, "1-liste-4", small_png())
    assert again.status_code == 400 and "déjà reçu" in html_text.unescape(again.get_data(as_text=True))
    last = send(client, reference, "1-libre-1", b"%PDF-1.4\n%%EOF\n", "domicile.pdf")
    assert last.status_code == 302 and last.headers["Location"] == f"/suivi/{reference}"
    with app.app_context():
        row = load(db.session(), reference)
        assert row.status == "en_instruction"
        assert row.missing_documents[0].completed_at is not None
        # Implicit acceptance: the two months start again from today.
        from guichet.requests.deadlines import add_months
        assert row.decision_due == add_months(date.today(), 2)
        assert row.history[-1].actor_id is None
    assert client.get(f"/suivi/{reference}/pieces").status_code == 404  # nothing awaited any more
    owner_mails = mails_to(app, agent.email)
    assert [mail.subject for mail in owner_mails][-1] == f"Pièces reçues : demande {reference}"
    assert f"/gestion/demandes/{reference}" in owner_mails[-1].body
    person = [mail.subject for mail in mails_to(app, "upload@example.test")]
    assert person == [f"Documents à envoyer pour votre demande {reference}",
                      f"Votre demande {reference} : En cours de traitement"]


def test_the_documents_page_is_personal(app, agent):
    reference = asked(app, agent, "prive@example.test")
    stranger = app.test_client()
    locked = stranger.get(f"/suivi/{reference}/pieces")
    assert locked.status_code == 200 and "Un justificatif de domicile" not in locked.get_data(as_text=True)
    assert 'name="secret"' in locked.get_data(as_text=True)
    assert stranger.post(f"/suivi/{reference}/pieces/1-liste-4").status_code in (400, 404)
    client = citizen(app, reference)
    response = client.get(f"/suivi/{reference}/pieces")
    assert response.headers["Cache-Control"] == "no-store"
    assert send(client, reference, "9-inconnu", small_png()).status_code == 400


def test_rejection_regime_suspension_ends_when_the_last_item_arrives(app, make_staff):
    agent = make_staff(("agent", "voirie"))
    reference = make_request(app, "occupation-domaine-public", status="en_instruction", email="suspension@example.test")
    with app.app_context():
        before = load(db.session(), reference).decision_due
    client = app.test_client()
    open_session(app, client, agent)
    assert ask(client, reference, other="Un plan", deadline=(date.today() + timedelta(days=15)).isoformat()
               ).status_code == 302
    with app.app_context():
        assert load(db.session(), reference).decision_due >= before + timedelta(days=15)
    person = citizen(app, reference)
    assert send(person, reference, "1-libre-1", small_png()).status_code == 302
    with app.app_context():
        assert load(db.session(), reference).decision_due == before  # sent the same day: nothing added


def test_due_reminders_go_once_before_the_deadline(app, agent):
    reference = asked(app, agent, "rappel@example.test")
    with app.app_context():
        deadline = load(db.session(), reference).missing_documents[0].deadline
    with app.app_context():  # as the worker runs it: no web request
        session = db.session()
        assert reference not in missing.due_reminders(session, deadline - timedelta(days=missing.REMIND_DAYS_BEFORE + 1))
        assert reference in missing.due_reminders(session, deadline - timedelta(days=2))
        session.commit()
        assert reference not in missing.due_reminders(session, deadline - timedelta(days=1))
        session.commit()
        reminded = session.scalar(select(MissingDocuments).join(MissingDocuments.request)
                                  .where(MissingDocuments.reminded_at.is_not(None)
                                         ).order_by(MissingDocuments.id.desc()).limit(1))
        assert reminded.request.reference == reference
    subjects = [mail.subject for mail in mails_to(app, "rappel@example.test")]
    assert subjects.count(f"Rappel : documents à envoyer pour votre demande {reference}") == 1
    body = mails_to(app, "rappel@example.test")[-1].body
    assert "Un justificatif de domicile" in body and "/suivi" in body


def test_documents_pages_fit_the_page_weight_budget(app, agent):
    from a11y.budgets import HTML_AND_CSS_BUDGET, measure
    reference = asked(app, agent, "poids@example.test")
    client = citizen(app, reference)
    for path in (f"/suivi/{reference}", f"/suivi/{reference}/pieces"):
        weight = measure(client, path)
        assert weight.first_paint <= HTML_AND_CSS_BUDGET, (path, weight)
        print(path, weight.html_gzip, weight.blocking_css_gzip, weight.first_paint)
