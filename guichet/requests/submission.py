"""Turning a finished draft into a request, in one transaction, exactly once.

The draft id is the idempotency key: a double click or a resent form finds the request that
already exists instead of creating a second one.
"""
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from guichet.audit import log as audit
from guichet.content.textfold import fold
from guichet.db import utcnow
from guichet.demarches.definitions import Demarche
from guichet.demarches.flow import relevant_answers
from guichet.demarches.identity import identity_summary
from guichet.demarches.intermediary import receipt_email
from guichet.demarches.models import Draft
from guichet.requests.models import (DemarcheRequest, ReferenceCounter, RequestEvent, RequestStatus,
                                     RequestVersion)
from guichet.requests.workflow import compute_due
from guichet.staff.models import StaffMember

# How a request reached the town hall: online, or registered by an agent.
CHANNELS = {
    "web": _l("En ligne"),
    "telephone": _l("Téléphone"),
    "guichet": _l("Guichet"),
    "courrier": _l("Courrier"),
    "courriel": _l("Courriel"),
}
NAME_KEYS = ("identite_prenom", "identite_nom", "identite_raison_sociale", "identite_nom_association")
SECRET_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


@dataclass(frozen=True)
class Submitted:
    request: DemarcheRequest
    secret: str | None  # None when the request already existed (double submission)


def search_columns(identity: dict, email: str | None) -> dict:
    """The queue's free-text search columns: the names and email, folded once at write time, not per query."""
    names = " ".join(str(identity.get(key) or "") for key in NAME_KEYS).split()
    return {"search_name": fold(" ".join(names))[:300] or None,
            "search_email": (email or "").strip().lower()[:254] or None}


def hash_secret(secret: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_secret(secret).encode(), hashlib.sha256).hexdigest()


def normalise_secret(typed: str) -> str:
    return "".join(char for char in (typed or "").upper() if char.isalnum())


def new_secret() -> str:
    """12 easy characters shown as 3 groups of 4: enough entropy, easy to copy by hand."""
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def next_reference(db: Session, year: int) -> str:
    """ADM-2026-000123: a per-year counter, incremented under the database's write lock."""
    prefix = current_app.config["SETTINGS"]["organisation"].get("reference_prefix", "REF")
    counter = db.get(ReferenceCounter, year, with_for_update=True)
    if counter is None:
        counter = ReferenceCounter(year=year, last=0)
        db.add(counter)
        db.flush()
    db.execute(update(ReferenceCounter).where(ReferenceCounter.year == year)
               .values(last=ReferenceCounter.last + 1))
    db.refresh(counter)
    return f"{prefix}-{year}-{counter.last:06d}"


def looks_like_reference(text: str, prefix: str) -> bool:
    """True for the shape of a reference (ADM-2026-000123, any case), whether or not it exists."""
    return re.fullmatch(rf"{re.escape(prefix)}-[0-9]{{4}}-[0-9]{{6}}", (text or "").strip().upper()) is not None


def submit(db: Session, draft: Draft, demarche: Demarche, lang: str) -> Submitted:
    """Create the request from the draft (the caller commits); idempotent on the draft id."""
    existing = db.scalar(select(DemarcheRequest).where(DemarcheRequest.idempotency_key == draft.id))
    if existing is not None:
        return Submitted(existing, None)
    answers = relevant_answers(demarche, draft.answers)
    identity = identity_summary(answers)
    own_answers = {key: value for key, value in answers.items() if key not in identity}
    now = utcnow()
    secret = new_secret()
    email = receipt_email(identity)
    request = DemarcheRequest(
        reference=next_reference(db, now.year), tracking_secret_hash=hash_secret(secret), idempotency_key=draft.id,
        demarche=demarche.slug, definition_version=demarche.version, channel=draft.channel or "web",
        identity=identity, answers=own_answers, email=email, lang=lang, status="recue", version=1,
        received_at=now, service=demarche.service_for(answers).key, **search_columns(identity, email))
    request.history.append(RequestStatus(status="recue", at=now))
    request.versions.append(RequestVersion(version=1, definition_version=demarche.version, identity=identity,
                                           answers=own_answers, created_at=now))
    request.decision_due = compute_due(request, demarche)
    if draft.opened_by is not None:
        request.events.append(opened_by_agent(draft, now))
    db.add(request)
    db.flush()
    if draft.opened_by is not None:
        audit.record(db, "request.enregistree", db.get(StaffMember, draft.opened_by), "request", request.reference,
                     {"channel": request.channel})
    _attach_files(db, draft, request)
    return Submitted(request, secret)


def opened_by_agent(draft: Draft, now) -> RequestEvent:
    """Who registered the request in the back office (channel set), or opened it for the person at the
    counter with a resume code (channel None: the person sent it online)."""
    return RequestEvent(kind="canal", at=now, actor_id=draft.opened_by,
                        details={"channel": draft.channel or "web", "resume_code": draft.channel is None})


def _attach_files(db: Session, draft: Draft, request: DemarcheRequest) -> None:
    """Hand the draft's files to the request, in this transaction; their bytes stay keyed by the file row.

    Not `draft.files.remove()`: that collection deletes orphans, which would delete the files.
    """
    for stored in draft.files:
        stored.request_id = request.id
        stored.draft_id = None
    db.flush()
    db.expire(draft, ["files"])


def rectify(db: Session, draft: Draft, demarche: Demarche, request: DemarcheRequest) -> DemarcheRequest:
    """Store corrected answers as a new version; allowed only before processing starts."""
    answers = relevant_answers(demarche, draft.answers)
    identity = identity_summary(answers)
    own_answers = {key: value for key, value in answers.items() if key not in identity}
    request.version += 1
    request.identity, request.answers = identity, own_answers
    request.definition_version = demarche.version
    request.email = receipt_email(identity) or request.email
    for column, value in search_columns(identity, request.email).items():
        setattr(request, column, value)
    request.versions.append(RequestVersion(version=request.version, definition_version=demarche.version,
                                           identity=identity, answers=own_answers))
    request.history.append(RequestStatus(status=request.status, note="Demande corrigée par le demandeur"))
    _attach_files(db, draft, request)
    return request


def can_rectify(request: DemarcheRequest) -> bool:
    return request.status == "recue"
