"""The emails of an appointment: confirmation and move (with an .ics calendar file), cancellation, reminder.

Emails are in French, like every message of the town hall; the .ics lets a phone's calendar add the
appointment in one tap.
"""
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from guichet.appointments.booking import PARIS
from guichet.appointments.models import Appointment
from guichet.db import utcnow
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests.mails import render_mail


def manage_link(token: str) -> str:
    return f"{site_url()}/rendez-vous/gerer/{token}"


def _service(key: str) -> dict:
    return current_app.config["SETTINGS"]["services"][key]


def calendar_file(appointment: Appointment, link: str | None) -> outbox.Attachment:
    """One VEVENT in the town's time zone; the same UID when moved, so calendars update the entry."""
    service = _service(appointment.service)
    organisation = current_app.config["SETTINGS"]["organisation"]
    calendar = Calendar()
    calendar.add("prodid", f"-//{organisation['name']}//Guichet//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"rendez-vous-{appointment.id}@{site_url().split('//', 1)[-1]}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.start.replace(tzinfo=PARIS))
    event.add("dtend", (appointment.start.replace(tzinfo=PARIS) + _length(appointment)))
    event.add("summary", f"Rendez-vous : {service['name']}")
    event.add("location", service["address"])
    description = f"Rendez-vous au guichet. Téléphone du service : {service['phone']}."
    if link:
        description += f" Pour annuler ou changer l'heure : {link}"
    event.add("description", description)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return outbox.Attachment("rendez-vous.ics", "text/calendar", calendar.to_ical().decode())


def _length(appointment: Appointment) -> timedelta:
    return timedelta(minutes=appointment.minutes)


def _send(db: Session, appointment: Appointment, template: str, subject: str, token: str | None,
          with_calendar: bool) -> None:
    if not appointment.email:
        return
    link = manage_link(token) if token else None
    with force_locale("fr"):
        body = render_mail(template, appointment=appointment, service=_service(appointment.service), link=link)
    attachments = (calendar_file(appointment, link),) if with_calendar else ()
    outbox.enqueue(db, appointment.email, subject, body, attachments)


def queue_confirmation(db: Session, appointment: Appointment, token: str) -> None:
    _send(db, appointment, "mail/appointment_booked.txt", "Votre rendez-vous est confirmé", token, True)


def queue_moved(db: Session, appointment: Appointment, token: str | None) -> None:
    _send(db, appointment, "mail/appointment_moved.txt", "Votre rendez-vous a changé d'heure", token, True)


def queue_cancelled(db: Session, appointment: Appointment) -> None:
    _send(db, appointment, "mail/appointment_cancelled.txt", "Votre rendez-vous est annulé", None, False)


def queue_reminder(db: Session, appointment: Appointment, now: datetime) -> None:
    """The link is not in the reminder: only its hash is stored. The confirmation email holds it."""
    _send(db, appointment, "mail/appointment_reminder.txt", "Rappel : votre rendez-vous demain", None, False)
    appointment.reminded_at = now
