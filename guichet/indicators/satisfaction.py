"""Satisfaction answers: one per request (a second send updates it) or one per printed card (counter, phone).

Whoever may see the receipt or the tracking page of a request may answer for it; whoever holds a card
answers with its code. An answer holds no name, no address: the comment box asks for none.
"""
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.indicators.models import SatisfactionAnswer, SatisfactionInvite
from guichet.requests.models import DemarcheRequest

RATINGS = {5: _l("Très bien"), 4: _l("Bien"), 3: _l("Moyen"), 2: _l("Mal"), 1: _l("Très mal")}
CLARITY = {"oui": _l("Oui"), "en-partie": _l("En partie"), "non": _l("Non")}
HELPERS = {
    "proche": _l("Un proche"),
    "mairie": _l("L'accueil de la mairie"),
    "telephone": _l("Le téléphone"),
    "france-services": _l("France services"),
    "association": _l("Une association"),
    "personne": _l("Personne"),
}
INVITE_CHANNELS = {"guichet": _l("Au guichet"), "telephone": _l("Au téléphone")}
COMMENT_MAX = 1000
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud and typed without doubt
CODE_LENGTH = 8


@dataclass(frozen=True)
class Opinion:
    rating: int
    clarity: str | None
    helpers: tuple[str, ...]
    comment: str


def _apply(answer: SatisfactionAnswer, opinion: Opinion) -> None:
    answer.rating = opinion.rating
    answer.clarity = opinion.clarity
    answer.helpers = list(opinion.helpers)
    answer.comment = opinion.comment.strip()
    answer.updated_at = utcnow()


def for_request(db: Session, request_row: DemarcheRequest) -> SatisfactionAnswer | None:
    return db.scalar(select(SatisfactionAnswer).where(SatisfactionAnswer.request_id == request_row.id))


def answer_request(db: Session, request_row: DemarcheRequest, opinion: Opinion) -> SatisfactionAnswer:
    """Create or update the answer of this request, with its démarche and channel; the caller commits."""
    answer = for_request(db, request_row)
    if answer is None:
        answer = SatisfactionAnswer(request_id=request_row.id, demarche=request_row.demarche,
                                    channel=request_row.channel)
        db.add(answer)
    _apply(answer, opinion)
    return answer


def new_invite(db: Session, channel: str, demarche: str | None = None,
               request_row: DemarcheRequest | None = None) -> SatisfactionInvite:
    """A card's code, unique; the caller commits."""
    if channel not in INVITE_CHANNELS:
        raise ValueError(f"unknown invite channel {channel}")
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.scalar(select(SatisfactionInvite.id).where(SatisfactionInvite.code == code)) is None:
            break
    invite = SatisfactionInvite(code=code, channel=channel,
                                demarche=request_row.demarche if request_row else demarche,
                                request_id=request_row.id if request_row else None)
    db.add(invite)
    return invite


def normalised_code(code: str) -> str:
    return "".join(char for char in (code or "").upper() if char.isalnum())


def invite(db: Session, code: str) -> SatisfactionInvite | None:
    cleaned = normalised_code(code)
    if len(cleaned) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in cleaned):
        return None
    return db.scalar(select(SatisfactionInvite).where(SatisfactionInvite.code == cleaned))


def invite_answer(db: Session, card: SatisfactionInvite) -> SatisfactionAnswer | None:
    return db.get(SatisfactionAnswer, card.answer_id) if card.answer_id else None


def answer_invite(db: Session, card: SatisfactionInvite, opinion: Opinion) -> SatisfactionAnswer:
    """Create or update the card's answer, with the card's channel; the caller commits."""
    answer = invite_answer(db, card)
    if answer is None:
        answer = SatisfactionAnswer(request_id=None, demarche=card.demarche, channel=card.channel)
        db.add(answer)
    _apply(answer, opinion)
    db.flush()
    card.answer_id = answer.id
    return answer
