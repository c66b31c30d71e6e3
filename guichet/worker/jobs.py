"""The timed jobs, as data: a name, how often, and the function that does one run.

Each function takes the database session and the time, does its work, commits what it changed, and
returns a short line for the log. Add a job by adding a line to JOBS.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from flask import current_app
from sqlalchemy.orm import Session

from guichet.alerts import digests
from guichet.appointments import booking as appointments
from guichet.appointments import mails as appointment_mails
from guichet.audit import log as audit_log
from guichet.callbacks import service as callbacks
from guichet.demarches import drafts
from guichet.demarches.catalogue import catalogue
from guichet.indicators import rollup
from guichet.editorial import editions, reminders
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.opendata import indicators
from guichet.privacy import retention
from guichet.requests import missing, workflow
from guichet.requests.mails import local_day


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[Session, datetime], str]
    lease: timedelta = timedelta(minutes=10)  # longer than any run; after it, another worker may take over


def send_emails(db: Session, _now: datetime) -> str:
    sent, failed = outbox.send_pending(db)
    return f"{sent} sent, {failed} failed"


def purge_drafts(db: Session, _now: datetime) -> str:
    purged = drafts.purge(db)
    db.commit()
    return f"{purged.drafts} drafts, {purged.orphan_files} orphan files"


def seal_audit(db: Session, _now: datetime) -> str:
    return f"{audit_log.seal(db)} entries sealed"


def implicit_decisions(db: Session, now: datetime) -> str:
    decided = workflow.apply_implicit_decisions(db, local_day(now))
    db.commit()
    return f"{len(decided)} implicit decisions"


def documents_reminders(db: Session, now: datetime) -> str:
    reminded = missing.due_reminders(db, local_day(now))
    db.commit()
    return f"{len(reminded)} reminders for missing documents"


def scheduled_fiches(db: Session, now: datetime) -> str:
    published, returned = editions.publish_due(db, now)
    db.commit()
    return f"{published} fiches published, {returned} sent back to draft"


def fiche_reminders(db: Session, now: datetime) -> str:
    settings = current_app.config["SETTINGS"]
    sent = reminders.send(db, now, reminders.threshold(settings), settings["services"], site_url())
    db.commit()
    return f"{sent} reminders about fiches"


def enforce_retention(db: Session, now: datetime) -> str:
    planned = retention.plan(db, catalogue(), now, retention.report_contact_months(current_app.config["SETTINGS"]))
    applied = retention.apply(db, planned, "worker")
    return f"{applied.requests} requests, {applied.files} files, {applied.report_contacts} report contacts"


def publish_indicators(db: Session, now: datetime) -> str:
    return indicators.publish(db, catalogue(), local_day(now))


def new_request_alerts(db: Session, now: datetime) -> str:
    return f"{digests.send_immediate(db, now)} new-request alerts"


def new_requests_digest(db: Session, now: datetime) -> str:
    return f"{digests.send_daily_new(db, now)} new-request digests"


def deadlines_digest(db: Session, now: datetime) -> str:
    return f"{digests.send_daily_deadlines(db, now)} implicit-decision digests"


def appointment_reminders(db: Session, now: datetime) -> str:
    """The day before, by email; `now` is UTC, appointments are in the town's time."""
    local = now.astimezone(appointments.PARIS).replace(tzinfo=None) if now.tzinfo else now
    reminded = appointments.due_reminders(db, local)
    for appointment in reminded:
        appointment_mails.queue_reminder(db, appointment, now)
    db.commit()
    return f"{len(reminded)} appointment reminders"


def purge_contacts(db: Session, now: datetime) -> str:
    """Appointments and call-backs hold a name and a phone number: kept 3 months, then erased."""
    local = now.astimezone(appointments.PARIS).replace(tzinfo=None) if now.tzinfo else now
    erased = appointments.purge_past(db, local), callbacks.purge_old(db, now)
    db.commit()
    return f"{erased[0]} appointments, {erased[1]} call-backs erased"


def roll_up_indicators(db: Session, now: datetime) -> str:
    summary = rollup.run(db, now)
    db.commit()
    return summary


JOBS = (
    Job("courriels", timedelta(minutes=1), send_emails),
    Job("brouillons", timedelta(minutes=10), purge_drafts),
    Job("journal", timedelta(minutes=1), seal_audit),
    Job("decisions-implicites", timedelta(minutes=30), implicit_decisions),
    Job("rappels-pieces", timedelta(hours=1), documents_reminders),
    Job("rappels-rendez-vous", timedelta(hours=1), appointment_reminders),
    Job("rendez-vous-et-rappels", timedelta(days=1), purge_contacts),
    Job("conservation", timedelta(days=1), enforce_retention, lease=timedelta(hours=1)),
    # Hourly, so that each day's figures are there soon after midnight; a run finds today's done and stops.
    Job("statistiques-publiques", timedelta(hours=1), publish_indicators, lease=timedelta(minutes=30)),
    # Alerts to staff: at once, and two digests sent once a day (the first run of each day; see alerts/digests.py).
    Job("alertes-nouvelles", timedelta(minutes=1), new_request_alerts),
    Job("resume-nouvelles", timedelta(hours=1), new_requests_digest),
    Job("resume-echeances", timedelta(hours=1), deadlines_digest),
    Job("indicateurs", timedelta(hours=1), roll_up_indicators, lease=timedelta(hours=1)),
    Job("rappels-fiches", timedelta(days=1), fiche_reminders, lease=timedelta(hours=1)),
    Job("fiches-programmees", timedelta(minutes=5), scheduled_fiches),
)
