"""Funnel events per step, first-party and anonymous: no cookie, no answer, no address is recorded.

Events of one draft share a `journey` token (a keyed hash of the draft id), so the indicators can follow a
journey from step to step; error events keep the messages shown, which come from the definitions only.
"""
import hashlib
import hmac

from flask import current_app
from sqlalchemy import insert
from sqlalchemy.orm import Session

from guichet.feedback.models import FunnelEvent

EVENTS = {"viewed", "error", "completed", "abandoned_timeout", "saved"}


def journey(draft_id: str) -> str:
    """The same token for every event of a draft; it cannot be turned back into the draft's id."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"parcours:{draft_id}".encode(), hashlib.sha256).hexdigest()[:32]


def record(db: Session, demarche: str, step: str, event: str, fields: list[str] | None = None,
           journey_token: str | None = None, messages: list[str] | None = None) -> None:
    """One row, inserted at once without the ORM's bookkeeping: every step view writes one."""
    if event not in EVENTS:
        raise ValueError(f"unknown funnel event {event}")
    db.execute(insert(FunnelEvent).values(demarche=demarche, step=step, event=event, fields=fields,
                                          journey=journey_token, messages=messages))
