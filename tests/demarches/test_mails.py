"""The resume email belongs to the démarche being filled in (guichet/demarches/mails.py): sent from the save
page, it gives the code, the link that fills it in and the day the answers are erased."""
import re
from datetime import UTC, datetime

from sqlalchemy import select

from a11y.walker import page_data, start, token_of
from guichet import db
from guichet.demarches import drafts
from guichet.demarches.catalogue import catalogue
from guichet.demarches.mails import queue_resume_link
from guichet.mail.models import OutboxMessage
from guichet.requests import mails as request_mails


def test_the_save_page_emails_the_code_and_the_link(app):
    client = app.test_client()
    with app.app_context():
        item = catalogue().get("changement-adresse")
    location = start(client, item).headers["Location"]
    token = token_of(client.get(location).get_data(as_text=True))
    saved = client.post(location, data={**page_data(item.pages[0], token), "action": "enregistrer"})
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="code-reprise" lang="fr">([A-Z0-9-]+)<', page).group(1)
    address = "reprise.brouillon@example.test"
    sent = client.post(saved.headers["Location"], data={"csrf_token": token_of(page), "email": address})
    assert sent.status_code == 302
    with app.app_context():
        message = db.session().scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)).one()
    assert message.subject == f"Reprendre votre démarche : {item.title}"
    assert f"Votre code de reprise : {code}" in message.body
    assert f"/reprendre?code={code}" in message.body and "Vos réponses sont gardées jusqu'au " in message.body


def test_the_resume_email_is_written_in_french_with_the_expiry_day(app):
    with app.test_request_context("/"):
        session = db.session()
        draft = drafts.create(session, "changement-adresse", "1")
        draft.resume_code, draft.expires_at = "ABCD2345", datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
        queue_resume_link(session, catalogue().get("changement-adresse"), draft, "unitaire@example.test")
        body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == "unitaire@example.test")).one()
        session.rollback()
    assert "Votre code de reprise : ABCD-2345" in body and "reprendre?code=ABCD-2345" in body
    assert "jusqu'au 1 avril 2026." in body  # the day in French time, not the UTC one


def test_the_resume_email_is_defined_once_in_the_demarches_domain():
    assert not hasattr(request_mails, "queue_resume_link")
