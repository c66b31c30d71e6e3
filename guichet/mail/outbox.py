"""Email through an outbox: written in the same transaction as the request, sent with retries.

An SMTP failure never loses a request nor delays a receipt page: sending happens after the
response (and again with `flask outbox send`), and failures are retried with growing delays.
Without SMTP_HOST (development), messages stay in the outbox and show on /dev/courriels.
"""
import smtplib
import ssl
from dataclasses import asdict, dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, after_this_request, current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from guichet import db
from guichet.db import utcnow
from guichet.mail.models import OutboxMessage

RETRY_DELAYS_MINUTES = (1, 5, 15, 60, 180, 720)
MAX_ATTEMPTS = len(RETRY_DELAYS_MINUTES) + 1
CLAIM_DURATION = timedelta(minutes=2)  # longer than one SMTP attempt (its timeout is 10 s)


@dataclass(frozen=True)
class Attachment:
    """A small text file sent with an email, such as an .ics calendar entry."""

    filename: str
    mime: str
    text: str


def enqueue(session: Session, recipient: str, subject: str, body: str,
            attachments: tuple[Attachment, ...] = ()) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body,
                            attachments=[asdict(attachment) for attachment in attachments] or None)
    session.add(message)
    return message


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_pending(session: Session, limit: int = 100) -> tuple[int, int]:
    """Try every due message once; return (sent, failed). Safe when several senders run at once."""
    if not smtp_configured():
        return 0, 0
    now = utcnow()
    due = list(session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    ).order_by(OutboxMessage.id).limit(limit)))
    session.commit()
    sent = failed = 0
    for message_id in due:
        message = _claim(session, message_id)
        if message is None:
            continue
        try:
            _deliver(message)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            delay = RETRY_DELAYS_MINUTES[min(message.attempts, len(RETRY_DELAYS_MINUTES)) - 1]
            message.next_attempt_at = utcnow() + timedelta(minutes=delay)
            failed += 1
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        message.claimed_until = None
        session.commit()
    return sent, failed


def _claim(session: Session, message_id: int) -> OutboxMessage | None:
    """Take one message for CLAIM_DURATION with an atomic update; None if another sender has it or sent it."""
    now = utcnow()
    claimed = session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    ).values(claimed_until=now + CLAIM_DURATION)).rowcount
    session.commit()
    return session.get(OutboxMessage, message_id, populate_existing=True) if claimed == 1 else None


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].split("@")[-1].strip(">"))
    email.set_content(message.body)
    for attachment in message.attachments or ():
        email.add_attachment(attachment["text"], subtype=attachment["mime"].split("/", 1)[1],
                             filename=attachment["filename"])
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(email)


def send_after_response() -> None:
    """Try the outbox once the response is on its way, in the same worker."""
    app = current_app._get_current_object()

    @after_this_request
    def _schedule(response):
        response.call_on_close(lambda: _send_in_context(app))
        return response


def _send_in_context(app: Flask) -> None:
    with app.app_context():
        try:
            send_pending(db.session())
        except Exception:  # never let a mail problem surface to the person; the outbox keeps it
            app.logger.exception("outbox: automatic attempt failed; `flask outbox send` will retry")
