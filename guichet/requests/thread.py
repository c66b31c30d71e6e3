"""The message thread between the service and the person, shared by the back office and /suivi.

A service message goes by email only to the request's own address (never elsewhere), and is always on
the tracking page. A reply from the person is announced to the request's owner, or to the service's
address when nobody owns the request yet; that notice carries a link, never the person's words.
"""
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from guichet.db import utcnow
from guichet.demarches import files
from guichet.demarches.definitions import Demarche
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests.models import DemarcheRequest, RequestMessage
from guichet.staff.models import StaffMember

MAX_LENGTH = 5000
MAX_FILES = 5
ACCEPT = ("pdf", "jpeg", "png")
MAX_FILE_BYTES = 10 * 1024 * 1024
QUESTION = "message"


def from_service(db: Session, row: DemarcheRequest, demarche: Demarche | None, member: StaffMember,
                 body: str) -> tuple[RequestMessage, bool]:
    """Add the agent's message; email it when the request has an address. Returns (message, emailed)."""
    now = utcnow()
    message = RequestMessage(sender="service", staff_id=member.id, body=body.strip(), at=now, read_at=now)
    row.messages.append(message)
    row.updated_at = now
    if not row.email:
        return message, False
    title = demarche.title if demarche else row.demarche
    with force_locale("fr"):
        text = render_template("mail/message.txt", row=row, title=title, body=message.body,
                               tracking_url=f"{site_url()}/suivi")
    outbox.enqueue(db, row.email, f"Message du service sur votre demande {row.reference} – {title}", text)
    return message, True


def from_person(db: Session, row: DemarcheRequest, body: str, uploads: list[FileStorage],
                notify: str | None) -> RequestMessage:
    """Add the person's answer and its files (raises files.UploadError: the caller rolls back)."""
    now = utcnow()
    message = RequestMessage(sender="demandeur", body=body.strip(), at=now)
    row.messages.append(message)
    row.updated_at = now
    db.flush()
    for upload in uploads:
        stored = files.store_upload(db, upload, ACCEPT, MAX_FILE_BYTES, QUESTION, None)
        stored.request_id, stored.message_id = row.id, message.id
        db.add(stored)
    if notify:
        with force_locale("fr"):
            text = render_template("gestion/mail/new_reply.txt", row=row,
                                   link=f"{site_url()}/gestion/demandes/{row.reference}")
        outbox.enqueue(db, notify, f"Réponse du demandeur – demande {row.reference}", text)
    return message


def notification_address(row: DemarcheRequest, owner: StaffMember | None, services: dict) -> str | None:
    """The owner's address, else the service's (from the settings), else nobody."""
    if owner is not None and owner.disabled_at is None:
        return owner.email
    return (services.get(row.service) or {}).get("email")


def mark_read(row: DemarcheRequest, now: datetime) -> int:
    """The agent opened the request: the person's messages are read. Returns how many were unread."""
    unread = [message for message in row.messages if message.sender == "demandeur" and message.read_at is None]
    for message in unread:
        message.read_at = now
    return len(unread)


def attached(row: DemarcheRequest) -> dict[int, list]:
    """The files of each message, by message id."""
    found: dict[int, list] = {}
    for stored in row.files:
        if stored.message_id:
            found.setdefault(stored.message_id, []).append(stored)
    return found
