"""Funnel events per step, first-party and anonymous: no cookie, no answer, no address is recorded."""
from sqlalchemy.orm import Session

from guichet.feedback.models import FunnelEvent

EVENTS = {"viewed", "error", "completed", "abandoned_timeout"}


def record(db: Session, demarche: str, step: str, event: str, fields: list[str] | None = None) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown funnel event {event}")
    db.add(FunnelEvent(demarche=demarche, step=step, event=event, fields=fields))
