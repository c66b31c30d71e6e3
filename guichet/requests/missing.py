"""Missing documents (decree 2015-1404 art. 8, CRPA L114-5): ask, receive item by item, remind.

The agent picks items from the démarche's list of documents (its file questions and its "what you
need" list) or writes their own; the person gets one email and one page with one upload per item.
Each file is kept as soon as it is sent (a failed upload later loses nothing). When every item is in,
the request goes back to `en_instruction`, the clock is recomputed and the owner is told.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from guichet.db import utcnow
from guichet.demarches import files
from guichet.demarches.catalogue import catalogue
from guichet.demarches.definitions import DEFAULT_MAX_BYTES, Demarche
from guichet.demarches.models import StoredFile
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests import workflow
from guichet.requests.deadlines import citizen_deadline
from guichet.requests.mails import render_mail
from guichet.requests.models import DemarcheRequest, MissingDocuments
from guichet.requests.receipt import counting_rules
from guichet.staff.models import StaffMember

ANY_DOCUMENT = ("pdf", "jpeg", "png")
REMIND_DAYS_BEFORE = 3
FILE_PREFIX = "piece:"


@dataclass(frozen=True)
class Choice:
    """An item the agent can tick: a file question of the démarche or a line of its "what you need"."""

    key: str
    label: str
    accept: tuple[str, ...] = ANY_DOCUMENT
    max_bytes: int = DEFAULT_MAX_BYTES


def choices(demarche: Demarche) -> list[Choice]:
    questions = [Choice(f"q-{question.id}", question.label, question.validation.accept, question.validation.max_bytes)
                 for question in demarche.all_questions() if question.type == "file"]
    needs = [Choice(f"liste-{number}", text) for number, text in enumerate(demarche.what_you_need, start=1)]
    return questions + needs


def upload_rules(demarche: Demarche, key: str) -> Choice:
    """The format and size rules of an item ("<round>-<choice key>"): its question's, else any document's."""
    choice_key = key.partition("-")[2]
    for choice in choices(demarche):
        if choice.key == choice_key:
            return choice
    return Choice(key, "")


def ask(db: Session, row: DemarcheRequest, demarche: Demarche, items: list[tuple[str, str]], deadline: date,
        actor: StaffMember, note: str | None) -> MissingDocuments:
    """Record the request for documents, move the request to `incomplete` and send the one email.

    `items` are (key, label) pairs; each key is prefixed with the number of this request for documents, so
    files of an earlier one are never mixed with it. The deadline moves off a weekend or holiday.
    The caller commits.
    """
    workflow.check(row.status, "demander_pieces", note, demarche.legal.implicit, "agent")
    round_number = len(row.missing_documents) + 1
    missing = MissingDocuments(requested_at=utcnow(), requested_by=actor.id, items=[
        {"key": f"{round_number}-{key}", "label": label, "received_at": None} for key, label in items],
        deadline=citizen_deadline(deadline, counting_rules()), closed=False)
    row.missing_documents.append(missing)
    workflow.apply(db, row, demarche, "demander_pieces", actor, note)
    if row.email:
        _mail_person(db, row, demarche, missing, "mail/missing.txt",
                     f"Documents à envoyer pour votre demande {row.reference}", note)
    return missing


def files_of(row: DemarcheRequest, key: str) -> list[StoredFile]:
    return [stored for stored in row.files if stored.question == FILE_PREFIX + key]


def receive(db: Session, row: DemarcheRequest, demarche: Demarche, missing: MissingDocuments, key: str,
            upload: FileStorage) -> StoredFile:
    """Keep one item's file at once; the last item completes the request. Raises files.UploadError or
    KeyError (unknown or already received item). The caller commits."""
    item = next((item for item in missing.items if item["key"] == key and not item["received_at"]), None)
    if item is None:
        raise KeyError(key)
    rules = upload_rules(demarche, key)
    stored = files.store_upload(db, upload, rules.accept, rules.max_bytes, FILE_PREFIX + key, None)
    stored.request_id = row.id
    db.add(stored)
    now = utcnow()
    # A new list, so the JSON column sees the change.
    missing.items = [{**entry, "received_at": now.isoformat()} if entry["key"] == key else entry
                     for entry in missing.items]
    if all(entry["received_at"] for entry in missing.items):
        workflow.apply(db, row, demarche, "completer", None, None, by="system")
        _tell_owner(db, row, demarche)
    db.flush()
    return stored


def _tell_owner(db: Session, row: DemarcheRequest, demarche: Demarche) -> None:
    """The owner, or the service's mailbox when nobody owns the request yet."""
    owner = db.get(StaffMember, row.owner_id) if row.owner_id else None
    recipient = owner.email if owner is not None else demarche.service.email
    with force_locale("fr"):
        body = render_mail("mail/missing_received.txt", demarche=demarche, request_row=row,
                               link=f"{site_url()}/gestion/demandes/{row.reference}")
    outbox.enqueue(db, recipient, f"Pièces reçues : demande {row.reference}", body)


def _mail_person(db: Session, row: DemarcheRequest, demarche: Demarche, missing: MissingDocuments, template: str,
                 subject: str, note: str | None = None) -> None:
    with force_locale("fr"):
        body = render_mail(template, demarche=demarche, request_row=row, missing=missing,
                               remaining=[item for item in missing.items if not item["received_at"]],
                               tracking_url=f"{site_url()}/suivi", missing_note=note)
    outbox.enqueue(db, row.email, subject, body)


def due_reminders(db: Session, today: date) -> list[str]:
    """Remind the person, once, a few days before the deadline of documents still missing.

    For the worker; returns the references reminded. On PostgreSQL, rows another worker is
    reminding are skipped. The caller commits.
    """
    rows = db.scalars(select(MissingDocuments).join(DemarcheRequest)
                      .where(MissingDocuments.completed_at.is_(None), MissingDocuments.closed.is_(False),
                             MissingDocuments.reminded_at.is_(None), MissingDocuments.deadline >= today,
                             MissingDocuments.deadline <= today + timedelta(days=REMIND_DAYS_BEFORE),
                             DemarcheRequest.status == "incomplete")
                      .order_by(MissingDocuments.id).with_for_update(skip_locked=True, of=MissingDocuments))
    reminded = []
    for missing in rows:
        row = missing.request
        demarche = catalogue().get(row.demarche)
        missing.reminded_at = utcnow()
        if row.email and demarche is not None:
            _mail_person(db, row, demarche, missing, "mail/missing_reminder.txt",
                         f"Rappel : documents à envoyer pour votre demande {row.reference}")
            reminded.append(row.reference)
    return reminded
