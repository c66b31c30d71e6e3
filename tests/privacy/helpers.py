"""Requests, files, messages and reports written straight into the database, for data-protection tests."""
import itertools
import secrets
from datetime import datetime, timedelta

from guichet import db
from guichet.db import utcnow
from guichet.demarches import storage
from guichet.demarches.models import StoredFile
from guichet.feedback.models import Report
from guichet.requests.models import DemarcheRequest, RequestMessage, RequestStatus

_numbers = itertools.count(1)


def add_request(app, *, email: str | None = "lea.petit@exemple.fr", demarche: str = "demande-acte-etat-civil",
                service: str = "etat-civil", status: str = "recue", received: datetime | None = None,
                decided: datetime | None = None, name: tuple[str, str] = ("Léa", "Petit"),
                phone: str | None = "06 12 34 56 78", message: str | None = None, file: bytes | None = None) -> dict:
    """A request; `decided` adds a final status at that date. Returns its id, reference and file names."""
    received = received or utcnow()
    number = next(_numbers)
    with app.app_context():
        session = db.session()
        identity = {"identite_prenom": name[0], "identite_nom": name[1], "identite_email": email}
        if phone:
            identity["identite_telephone"] = phone
        row = DemarcheRequest(
            reference=f"ADM-2020-{number:06d}",
            tracking_secret_hash="x" * 64, idempotency_key=secrets.token_hex(16), demarche=demarche,
            definition_version="1", identity=identity, answers={"motif": "Pour un dossier"}, email=email,
            status=status, received_at=received, service=service)
        row.history.append(RequestStatus(status="recue", at=received))
        if decided:
            row.history.append(RequestStatus(status=status, at=decided))
        session.add(row)
        session.flush()
        names = []
        if message:
            thread = RequestMessage(request_id=row.id, sender="demandeur", body=message, at=received)
            session.add(thread)
            session.flush()
        if file is not None:
            stored = StoredFile(request_id=row.id, question="justificatif", original_name="piece.pdf",
                                stored_name=f"{secrets.token_hex(16)}.pdf", mimetype="application/pdf",
                                size=len(file), message_id=thread.id if message else None)
            session.add(stored)
            session.flush()
            storage.backend().write(session, stored, file)
            names.append(stored.stored_name)
        session.commit()
        return {"id": row.id, "reference": row.reference, "files": names}


def add_report(app, *, contact_email: str | None = "lea.petit@exemple.fr", created: datetime | None = None,
               text: str = "Je ne trouve pas le formulaire") -> int:
    with app.app_context():
        report = Report(category="comprendre", text=text, contact_email=contact_email, page="/fiches/rsa",
                        lang="fr", device="mobile", created_at=created or utcnow())
        db.session().add(report)
        db.session().commit()
        return report.id


def months_ago(months: int, days: int = 0) -> datetime:
    return utcnow() - timedelta(days=31 * months + days)
