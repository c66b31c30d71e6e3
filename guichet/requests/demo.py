"""About 50 demo requests for development: fictional people, every démarche, status and channel.

Idempotent: each demo request has a fixed idempotency key ("demo-01"…), so running it again adds only
what is missing. Names are obviously fictional and emails use @exemple.fr; no files are attached.
"""
import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.demarches.definitions import Demarche
from guichet.requests.models import DemarcheRequest, RequestStatus, RequestVersion
from guichet.requests.submission import CHANNELS, hash_secret, new_secret, next_reference, search_columns
from guichet.requests.workflow import STATUSES, compute_due
from guichet.staff.models import StaffMember
from guichet.staff.roles import REQUEST_ROLES

DEMO_COUNT = 50
PEOPLE = [("Camille", "Exemple"), ("Dominique", "Fictif"), ("Alex", "Démo"), ("Sacha", "Essai"),
          ("Lou", "Imaginaire"), ("Charlie", "Pastiche"), ("Maxime", "Modèle"), ("Noa", "Prototype"),
          ("Eden", "Maquette"), ("Andréa", "Brouillon")]


def demo_request(number: int, demarche: Demarche, status: str, channel: str, owner: StaffMember | None,
                 days_ago: int, reference: str) -> DemarcheRequest:
    given, family = PEOPLE[number % len(PEOPLE)]
    email = f"{given}.{family}{number}@exemple.fr".lower().replace("é", "e")
    identity = {"identite_prenom": given, "identite_nom": family, "identite_email": email}
    received = utcnow() - timedelta(days=days_ago, hours=number % 9)
    request = DemarcheRequest(
        reference=reference, tracking_secret_hash=hash_secret(new_secret()), idempotency_key=f"demo-{number:02d}",
        demarche=demarche.slug, definition_version=demarche.version, channel=channel, identity=identity,
        answers={}, email=email, lang="fr", status=status, version=1, received_at=received,
        service=demarche.service.key, owner_id=owner.id if owner else None, **search_columns(identity, email))
    request.decision_due = compute_due(request, demarche)
    request.history.append(RequestStatus(status="recue", at=received))
    if status != "recue":
        request.history.append(RequestStatus(status=status, at=received + timedelta(days=1),
                                             actor_id=owner.id if owner else None))
    request.versions.append(RequestVersion(version=1, definition_version=demarche.version, identity=identity,
                                           answers={}, created_at=received))
    return request


def ensure_demo_requests(session: Session, demarches: list[Demarche], staff: list[StaffMember]) -> int:
    """Create the missing demo requests; returns how many were created."""
    existing = set(session.scalars(select(DemarcheRequest.idempotency_key)
                                   .where(DemarcheRequest.idempotency_key.like("demo-%"))))
    chance = random.Random(2026)
    statuses, channels = list(STATUSES), list(CHANNELS)
    demarches = [demarche for demarche in demarches if demarche.service.key]
    created = 0
    for number in range(1, DEMO_COUNT + 1):
        demarche = demarches[number % len(demarches)]
        status = statuses[number % len(statuses)]
        channel = channels[number % len(channels)]
        days_ago = chance.randint(0, 75)
        owners = [member for member in staff
                  if any(grant.role in REQUEST_ROLES and grant.service == demarche.service.key
                         for grant in member.roles)]
        owner = owners[number % len(owners)] if owners and (status != "recue" or number % 4 == 0) else None
        if f"demo-{number:02d}" in existing:
            continue
        reference = next_reference(session, utcnow().year)
        session.add(demo_request(number, demarche, status, channel, owner, days_ago, reference))
        created += 1
    session.flush()
    return created
