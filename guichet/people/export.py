"""Everything held about one person, for the DPO: the right of access (GDPR art. 15) and erasure (art. 17).

The export gathers every request matched to the person (all services), with its answers in every
version, status history, messages, internal notes, missing-documents requests and the list of its
files; the difficulty reports with their contact address; and the audit entries about the person or
their requests. Erasure deletes the requests and reports, and is refused while a request is still
being processed: the town must first decide it (a deletion would also delete the citizen's case).
"""
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from guichet.audit import log as audit
from guichet.audit.models import AuditEntry
from guichet.demarches.models import StoredFile
from guichet.feedback.models import Report
from guichet.people.files import Scope, reports_of, requests_of, still_processing
from guichet.people.models import Person
from guichet.privacy.deletion import delete_request
from guichet.requests.models import DemarcheRequest
from guichet.staff.models import StaffMember

EVERYTHING = Scope(None, True)
PERSON_TARGET = "personne"
REQUEST_TARGETS = ("request", "demande")


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _files(db: Session, request: DemarcheRequest) -> list[dict]:
    files = db.scalars(select(StoredFile).where(StoredFile.request_id == request.id).order_by(StoredFile.id))
    return [{"nom": stored.original_name, "type": stored.mimetype, "taille": stored.size,
             "question": stored.question, "message": stored.message_id, "recu_le": _at(stored.created_at)}
            for stored in files]


def request_export(db: Session, request: DemarcheRequest) -> dict:
    return {
        "reference": request.reference, "demarche": request.demarche, "service": request.service,
        "canal": request.channel, "statut": request.status, "recue_le": _at(request.received_at),
        "email": request.email, "identite": request.identity, "reponses": request.answers,
        "versions": [{"version": version.version, "le": _at(version.created_at), "identite": version.identity,
                      "reponses": version.answers} for version in request.versions],
        "historique": [{"statut": step.status, "note": step.note, "le": _at(step.at)} for step in request.history],
        "messages": [{"le": _at(message.at), "de": message.sender, "texte": message.body}
                     for message in request.messages],
        "notes_internes": [{"le": _at(event.at), "type": event.kind, "texte": event.text}
                           for event in request.events],
        "pieces_manquantes": [{"demandees_le": _at(missing.requested_at), "avant_le": missing.deadline.isoformat(),
                               "pieces": missing.items} for missing in request.missing_documents],
        "fichiers": _files(db, request),
    }


def report_export(report: Report) -> dict:
    return {"numero": report.id, "le": _at(report.created_at), "type": report.category, "texte": report.text,
            "page": report.page, "email": report.contact_email, "statut": report.status,
            "reponse_publique": report.public_answer}


def audit_entries(db: Session, person: Person, requests: list[DemarcheRequest]) -> list[AuditEntry]:
    """Entries whose target is the person's number, or one of their requests (by reference or number)."""
    targets = [request.reference for request in requests] + [str(request.id) for request in requests]
    about = or_(and_(AuditEntry.target_type == PERSON_TARGET, AuditEntry.target_id == str(person.id)),
                and_(AuditEntry.target_type.in_(REQUEST_TARGETS), AuditEntry.target_id.in_(targets)))
    return list(db.scalars(select(AuditEntry).where(about).order_by(AuditEntry.id)))


def export(db: Session, person: Person, now: datetime) -> dict:
    requests = requests_of(db, person, EVERYTHING)
    return {
        "personne": {"numero": person.id, "email": person.email},
        "genere_le": now.isoformat(),
        "demandes": [request_export(db, request) for request in requests],
        "signalements": [report_export(report) for report in reports_of(db, person, EVERYTHING)],
        "journal": [{"le": _at(entry.at), "qui": entry.actor, "action": entry.action, "cible": entry.target_type,
                     "numero": entry.target_id, "details": entry.details}
                    for entry in audit_entries(db, person, requests)],
    }


def erasure_refusal(db: Session, person: Person) -> list[DemarcheRequest]:
    """The requests still being processed: while there is one, nothing is erased."""
    return [request for request in requests_of(db, person, EVERYTHING) if still_processing(request)]


def erase(db: Session, person: Person, by: StaffMember) -> dict:
    """Delete the person's requests (files included) and reports, then their number; audited; the caller commits.

    The audit entry names the person by number and the requests by reference, never the address.
    """
    requests = requests_of(db, person, EVERYTHING)
    reports = reports_of(db, person, EVERYTHING)
    references = [request.reference for request in requests]
    files = sum(delete_request(db, request) for request in requests)
    for report in reports:
        db.delete(report)
    counts = {"demandes": references, "fichiers": files, "signalements": len(reports)}
    audit.record(db, "effacement_personne", by, PERSON_TARGET, person.id, counts)
    db.delete(person)
    db.flush()
    return counts
