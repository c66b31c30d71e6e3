"""Requests made directly in the database, for workflow and back-office tests."""
import itertools
import secrets
from datetime import datetime, timezone

from sqlalchemy import select

from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.mail.models import OutboxMessage
from guichet.requests.models import DemarcheRequest, RequestStatus
from guichet.requests.submission import hash_secret
from guichet.requests.workflow import compute_due

SECRET = "ABCD-EFGH-JKLM"
_numbers = itertools.count(1)


def make_request(app, slug: str = "demande-acte-etat-civil", status: str = "recue", received: datetime | None = None,
                 email: str | None = "demandeur@example.test", answers: dict | None = None,
                 owner_id: int | None = None) -> str:
    """A request of démarche `slug` in `status`, with `decision_due` as the workflow keeps it; its reference."""
    with app.app_context():
        session = db.session()
        demarche = catalogue().get(slug)
        received = received or datetime.now(timezone.utc)
        reference = f"TST-{received.year}-{next(_numbers):06d}-{secrets.token_hex(2).upper()}"[:20]
        row = DemarcheRequest(reference=reference, tracking_secret_hash=hash_secret(SECRET),
                              idempotency_key=secrets.token_hex(16), demarche=slug,
                              definition_version=demarche.version, channel="web",
                              identity={"identite_nom": "Martin", "identite_email": email}, answers=answers or {},
                              email=email, lang="fr", status=status, version=1, received_at=received,
                              service=demarche.service.key, owner_id=owner_id)
        row.history.append(RequestStatus(status=status, at=received))
        row.decision_due = compute_due(row, demarche)
        session.add(row)
        session.commit()
        return reference


def load(session, reference: str) -> DemarcheRequest:
    return session.scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))


def mails_to(app, recipient: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                         .order_by(OutboxMessage.id)))
