"""Funnel events per step, first-party and anonymous: no cookie, no answer, no address is recorded.

Events of one draft share a `journey` token (a keyed hash of the draft id), so the indicators can follow a
journey from step to step; error events keep the messages shown, which come from the definitions only.

A step view is the only write of a step's GET, so views wait in the process (`WaitingViews`) and are
written with the next event's transaction (a step sent, an error, a save), or by the view that finds them
due after FUNNEL_VIEWS_WAIT_SECONDS, or when the process stops. The roll-ups order events by time, not by
insertion, and recompute recent days, so a view written late is counted. A process killed outright loses
the views of its last seconds: statistics, never anything a person typed.
"""
import atexit
import hashlib
import hmac
import logging
import threading
import time

from flask import Flask, current_app
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from guichet.db import utcnow

from guichet.feedback.models import FunnelEvent

EVENTS = {"viewed", "error", "completed", "abandoned_timeout", "saved"}


def journey(draft_id: str) -> str:
    """The same token for every event of a draft; it cannot be turned back into the draft's id."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"parcours:{draft_id}".encode(), hashlib.sha256).hexdigest()[:32]


MAX_WAITING_VIEWS = 100


class WaitingViews:
    """The step views of one process not written yet (shared by its threads)."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        self.rows: list[dict] = []
        self.oldest = 0.0
        self.lock = threading.Lock()

    def add(self, row: dict) -> None:
        with self.lock:
            if not self.rows:
                self.oldest = time.monotonic()
            self.rows.append(row)

    def due(self) -> bool:
        return bool(self.rows) and (len(self.rows) >= MAX_WAITING_VIEWS
                                    or time.monotonic() - self.oldest >= self.wait_seconds)

    def take(self) -> list[dict]:
        with self.lock:
            rows, self.rows = self.rows, []
        return rows


def init_app(app: Flask) -> None:
    waiting = app.extensions["guichet_waiting_views"] = WaitingViews(app.config["FUNNEL_VIEWS_WAIT_SECONDS"])
    atexit.register(_write_at_exit, app, waiting)


def record(db: Session, demarche: str, step: str, event: str, fields: list[str] | None = None,
           journey_token: str | None = None, messages: list[str] | None = None) -> None:
    """Add one event to the caller's transaction (a view may wait, see above), with the views waiting."""
    if event not in EVENTS:
        raise ValueError(f"unknown funnel event {event}")
    waiting: WaitingViews = current_app.extensions["guichet_waiting_views"]
    row = {"demarche": demarche, "step": step, "event": event, "fields": fields, "journey": journey_token,
           "messages": messages, "at": utcnow()}
    if event == "viewed" and waiting.wait_seconds > 0:
        waiting.add(row)
        rows = waiting.take() if waiting.due() else []
    else:
        rows = [*waiting.take(), row]
    if rows:
        db.execute(insert(FunnelEvent), rows)


def _write_at_exit(app: Flask, waiting: WaitingViews) -> None:
    rows = waiting.take()
    if not rows:
        return
    try:
        with app.extensions["guichet_engine"].begin() as connection:
            connection.execute(insert(FunnelEvent), rows)
    except SQLAlchemyError:
        logging.getLogger(__name__).warning("%d step views could not be written at exit", len(rows))
