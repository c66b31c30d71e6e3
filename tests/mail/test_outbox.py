"""Emails through a real local SMTP server (aiosmtpd): content, retries, and no loss on failure."""
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete

from guichet import db
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.mail import outbox
from guichet.mail.models import OutboxMessage
from a11y.walker import submit, walk_to_check


@pytest.fixture(autouse=True)
def empty_outbox(app):
    """The app's database is shared by the whole run: earlier tests leave emails waiting, and a sender takes the
    oldest first, so each test here starts from an empty outbox."""
    with app.app_context():
        session = db.session()
        session.execute(delete(OutboxMessage))
        session.commit()


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="Guichet <guichet@admiville.fr>")
    try:
        yield mailbox
    finally:
        controller.stop()
        app.config.update(SMTP_HOST="")


def test_receipt_email_is_sent_with_every_legal_mention(app, smtp):
    client = app.test_client()
    with app.app_context():
        item = catalogue().get("occupation-domaine-public")
    submit(client, item, walk_to_check(client, item))
    with app.app_context():
        sent, failed = outbox.send_pending(db.session())
    assert failed == 0
    # Other tests may have left emails in the shared outbox: read the receipt of this démarche.
    import email
    from email.header import decode_header, make_header
    sent_messages = [email.message_from_string(envelope.content.decode("utf-8", "replace"))
                     for envelope in smtp.messages]
    receipts = [message for message in sent_messages if item.title in str(make_header(decode_header(message["Subject"])))]
    assert receipts, "the receipt was sent (after the response, or by send_pending)"
    message = receipts[-1]
    text = message.get_payload(decode=True).decode("utf-8")
    assert message["To"] == "marie.dupont@example.fr"
    assert "Accusé de réception" in message["Subject"] or "Accus" in str(message["Subject"])
    for expected in ("Date de réception : le ", item.service.designation, item.service.address, item.service.email,
                     item.service.phone, "sera refusée le", "décision implicite de rejet", "/suivi/lien?reference=ADM-"):
        assert expected in text, expected


def test_smtp_failure_keeps_the_message_and_retries_later(app):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nothing listens there
    try:
        with app.app_context():
            session = db.session()
            message = outbox.enqueue(session, "a@example.fr", "Sujet", "Texte")
            session.commit()
            outbox.send_pending(session)
            session.refresh(message)
            assert message.sent_at is None and message.attempts == 1 and message.last_error
            assert message.next_attempt_at.replace(tzinfo=None) > utcnow().replace(tzinfo=None)
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
            session.commit()
    finally:
        app.config.update(SMTP_HOST="")


def test_outbox_send_command_requires_smtp(app):
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code != 0 and "SMTP_HOST" in result.output


def test_an_attachment_is_sent_with_its_type_and_name(app, smtp):
    from email import message_from_bytes, policy
    with app.app_context():
        session = db.session()
        outbox.enqueue(session, "lea@exemple.fr", "Votre rendez-vous", "Bonjour",
                       (outbox.Attachment("rendez-vous.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),))
        session.commit()
        sent, failed = outbox.send_pending(session)
    assert failed == 0 and sent >= 1
    email = message_from_bytes(smtp.messages[-1].content, policy=policy.default)
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "rendez-vous.ics"
    assert "BEGIN:VCALENDAR" in attachment.get_content()
