"""Call-back requests: which service gets them, creating them, and the agent's outcome.

The service is read from the page the person came from: a démarche's own service, a fiche's owner, an
appointment page's service; anything else goes to the town hall's reception.
"""
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from guichet.callbacks.models import CallbackRequest
from guichet.content import queries
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.mail import outbox
from guichet.requests.mails import render_mail

CALLBACK_DAYS = {"lundi": _l("Lundi"), "mardi": _l("Mardi"), "mercredi": _l("Mercredi"), "jeudi": _l("Jeudi"),
                 "vendredi": _l("Vendredi")}
CALLBACK_PERIODS = {"matin": _l("Le matin, de 9 h à 12 h"), "midi": _l("Entre 12 h et 14 h"),
                    "apres-midi": _l("L'après-midi, de 14 h à 17 h")}
STATUS_LABELS = {"a-rappeler": _l("À rappeler"), "fait": _l("Fait"), "injoignable": _l("Pas joint, à rappeler")}
RECEPTION = "accueil"
OUTCOMES = ("fait", "injoignable")
OPEN = ("a-rappeler", "injoignable")
_DEMARCHE = re.compile(r"/demarches/(?P<slug>[a-z0-9-]+)(?:/|\Z)")
_FICHE = re.compile(r"/fiches/(?P<slug>[a-z0-9-]+)")  # used with fullmatch
_APPOINTMENT = re.compile(r"/rendez-vous/(?P<service>[a-z0-9-]+)(?:/|\Z)")


def service_for_page(db: Session, page: str | None, services: Mapping, lang: str = "fr") -> str:
    """The service in charge of the page the person came from; the reception when none is."""
    page = page or ""
    key = None
    if match := _DEMARCHE.match(page):
        demarche = catalogue().get(match["slug"])
        key = demarche.service.key if demarche else None
    elif match := _FICHE.fullmatch(page):
        fiche = queries.fiche(db, match["slug"], lang)
        key = fiche.meta.get("owner_service") if fiche else None
    elif match := _APPOINTMENT.match(page):
        key = match["service"]
    if key in services:
        return key
    return RECEPTION if RECEPTION in services else next(iter(services))


def create(db: Session, callback: CallbackRequest) -> CallbackRequest:
    """Store the request and queue the person's confirmation when they gave an email (the caller commits)."""
    db.add(callback)
    if callback.email:
        service = current_app.config["SETTINGS"]["services"][callback.service]
        outbox.enqueue(db, callback.email, "Nous allons vous rappeler",
                       render_mail("mail/callback_received.txt", callback=callback, service=service))
    return callback


def queue(db: Session, services: set[str], show_all: bool) -> list[CallbackRequest]:
    """Open call-backs of these services, oldest first (done ones too, newest first, with `show_all`)."""
    query = select(CallbackRequest).where(CallbackRequest.service.in_(services))
    if not show_all:
        return list(db.scalars(query.where(CallbackRequest.status.in_(OPEN)).order_by(CallbackRequest.created_at)))
    return list(db.scalars(query.order_by(CallbackRequest.created_at.desc()).limit(200)))


def record_outcome(callback: CallbackRequest, outcome: str, note: str, staff_id: int) -> None:
    """Done closes the task; not reached keeps it open for another try, and counts the attempt."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    callback.status = outcome
    callback.attempts += 1
    callback.note = "\n".join(part for part in (callback.note, note.strip()) if part)
    callback.handled_by_id = staff_id
    callback.handled_at = utcnow()


KEPT_AFTER_DAYS = 92  # a call-back's number and message are kept 3 months after the last call, then erased
KEPT_AT_MOST_DAYS = 365  # a call-back never tried is erased a year after it was asked


def purge_old(db: Session, now: datetime) -> int:
    """Erase call-backs done, or last tried, more than KEPT_AFTER_DAYS ago, and any older than KEPT_AT_MOST_DAYS."""
    handled = now - timedelta(days=KEPT_AFTER_DAYS)
    return db.execute(delete(CallbackRequest).where(or_(
        CallbackRequest.handled_at < handled, CallbackRequest.created_at < now - timedelta(days=KEPT_AT_MOST_DAYS)))).rowcount
