"""The emails of a request: the receipt (decree 2015-1404 art. 5 and 7), and the helpers every email uses."""
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from guichet.demarches.definitions import Demarche
from guichet.demarches.intermediary import helper_of
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests.models import DemarcheRequest
from guichet.requests.receipt import receipt_facts

PARIS = ZoneInfo("Europe/Paris")


def local_day(moment: datetime) -> date:
    """The receipt date as the person lives it, in French time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(PARIS).date()


def render_mail(template: str, **context) -> str:
    """A plain-text email outside any web request too (the worker, the CLI): the page context
    processors, which read the request, are not needed in an email."""
    return current_app.jinja_env.get_template(template).render(**context)


def tracking_link(reference: str, secret: str, **extra: str) -> str:
    return f"{site_url()}/suivi/lien?{urlencode({'reference': reference, 'cle': secret, **extra})}"


def queue_receipt(db: Session, request_row: DemarcheRequest, demarche: Demarche, secret: str | None,
                  corrected: bool) -> None:
    """The receipt goes to the address the person gave; nothing is queued without one."""
    if not request_row.email:
        return
    with force_locale("fr"):  # the démarches and their legal texts are French, so is the email
        facts = receipt_facts(local_day(request_row.received_at), demarche.legal)
        body = render_template("mail/receipt.txt", demarche=demarche, request_row=request_row, facts=facts,
                               secret=secret, link=tracking_link(request_row.reference, secret) if secret else None,
                               opinion_link=tracking_link(request_row.reference, secret, vers="avis") if secret else None,
                               tracking_url=f"{site_url()}/suivi", corrected=corrected,
                               helper=helper_of(request_row.identity),
                               written=current_app.config["SETTINGS"]["written_contact"])
    subject = (f"Demande corrigée {request_row.reference}" if corrected
               else f"Accusé de réception de votre demande {request_row.reference}")
    outbox.enqueue(db, request_row.email, f"{subject} – {demarche.title}", body)

