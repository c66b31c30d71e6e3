"""Booking an appointment without JavaScript: the days with free slots as links, then the free times of
the day as radio buttons with the person's details; the link in the confirmation cancels or moves it.

A time taken by someone else a second before gets a 409 with the free times still on offer; an unknown
or past time a 400. Typed details are never lost: the form comes back filled.
"""
from datetime import date, datetime, time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from guichet import db
from guichet.appointments import booking, mails
from guichet.appointments.forms import BookingForm, TimeChoiceForm
from guichet.appointments.models import Appointment
from guichet.citizen.forms import EmptyForm
from guichet.mail import outbox
from guichet.web.local_paths import is_local_path
from guichet.web.ratelimit import allow
from guichet.web.security import no_store

blueprint = Blueprint("appointments", __name__, url_prefix="/rendez-vous")


def _service(key: str) -> dict:
    service = current_app.config["SETTINGS"]["services"].get(key)
    if service is None:
        abort(404)
    return service


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def _origin() -> str | None:
    """The page the person came from (a fiche, a démarche, the help page), kept to go back to it."""
    origin = request.values.get("depuis")
    return origin if is_local_path(origin) else None


def _time_choices(form: TimeChoiceForm, slots: list) -> None:
    form.heure.choices = [(f"{slot.start:%H:%M}", _time_label(slot)) for slot in slots]


def _time_label(slot) -> str:
    return f"{slot.start.hour} h {slot.start.minute:02d}" if str(get_locale()) == "fr" else f"{slot.start:%H:%M}"


def _start(day: date, form: TimeChoiceForm) -> datetime:
    hours, minutes = form.heure.data.split(":")
    try:
        return datetime.combine(day, time(int(hours), int(minutes)))
    except ValueError:
        raise booking.SlotUnavailable(form.heure.data) from None


@blueprint.get("/")
def index():
    keys = booking.services_with_openings(db.session())
    services = current_app.config["SETTINGS"]["services"]
    return render_template("appointments/index.html", offered=[(key, services[key]) for key in keys if key in services],
                           origin=_origin())


@blueprint.get("/<service_key>")
def days(service_key: str):
    service = _service(service_key)
    found = booking.free_days(db.session(), service_key, booking.local_now())
    return render_template("appointments/days.html", service=service, service_key=service_key, days=found,
                           origin=_origin(),
                           day_url=lambda day: url_for(".day", service_key=service_key, day=day.isoformat(),
                                                       depuis=_origin()))


@blueprint.route("/<service_key>/<day>", methods=["GET", "POST"])
def day(service_key: str, day: str):
    service = _service(service_key)
    chosen = _day(day)
    no_store()  # the page shows back what the person typed
    session = db.session()
    form = BookingForm()
    now = booking.local_now()
    free = booking.free_times(session, service_key, chosen, now)
    _time_choices(form, free)
    if request.method == "GET" or not form.validate():
        status = 200 if request.method == "GET" else 400
        if request.method == "GET" and not free:
            status = 404 if chosen < now.date() else 200
        return _day_page(service, service_key, chosen, form, free, status)
    if not allow(session, "rendez-vous", *current_app.config["RATE_LIMIT_APPOINTMENTS"]):
        session.commit()
        return _day_page(service, service_key, chosen, form, free, 429, gettext(
            "Vous avez pris beaucoup de rendez-vous en peu de temps. Réessayez dans une heure ou appelez-nous."))
    person = booking.Person(name=form.nom.data.strip(), phone=form.telephone.data.strip(),
                            email=(form.email.data or "").strip() or None, subject=(form.objet.data or "").strip())
    try:
        appointment, token = booking.book(session, service_key, _start(chosen, form), person, now,
                                          origin=_origin(), lang=str(get_locale()))
    except booking.SlotUnavailable:
        session.commit()
        return _day_page(service, service_key, chosen, form, free, 400,
                         gettext("Cette heure n'est pas proposée ce jour-là, ou elle est déjà passée. "
                                 "Choisissez une heure dans la liste."))
    except booking.SlotTaken as taken:
        session.commit()
        _time_choices(form, taken.alternatives)
        form.heure.data = None
        return _day_page(service, service_key, chosen, form, taken.alternatives, 409,
                         gettext("Ce créneau vient d'être pris par une autre personne. Choisissez une autre heure."))
    mails.queue_confirmation(session, appointment, token)
    session.commit()
    outbox.send_after_response()
    flash(gettext("Votre rendez-vous est confirmé."), "rendez-vous")
    return redirect(url_for(".manage", token=token))


def _day_page(service: dict, service_key: str, chosen: date, form, free: list, status: int, problem: str | None = None,
              action: str | None = None):
    return render_template("appointments/day.html", service=service, service_key=service_key, day=chosen, form=form,
                           free=free, problem=problem, origin=_origin(), action=action,
                           has_errors=bool(form.errors or problem)), status


# --- The person's link: see, cancel, move ---------------------------------------------------------

def _by_token(token: str) -> Appointment:
    no_store()
    appointment = booking.by_token(db.session(), token)
    if appointment is None:
        abort(404)
    return appointment


@blueprint.get("/gerer/<token>")
def manage(token: str):
    appointment = _by_token(token)
    return render_template("appointments/manage.html", appointment=appointment, token=token,
                           service=_service(appointment.service), past=appointment.start <= booking.local_now(),
                           form=EmptyForm())


@blueprint.post("/gerer/<token>/annuler")
def cancel(token: str):
    appointment = _by_token(token)
    if not EmptyForm().validate():
        abort(400)
    if appointment.start <= booking.local_now():
        abort(400, description=gettext("Ce rendez-vous est déjà passé : vous ne pouvez plus l'annuler."))
    session = db.session()
    mails.queue_cancelled(session, appointment)
    service_key = appointment.service
    booking.cancel(session, appointment)
    session.commit()
    outbox.send_after_response()
    return redirect(url_for(".cancelled", service=service_key))


@blueprint.get("/annule")
def cancelled():
    key = request.args.get("service", "")
    services = current_app.config["SETTINGS"]["services"]
    return render_template("appointments/cancelled.html", service_key=key if key in services else None)


@blueprint.get("/gerer/<token>/deplacer")
def move_days(token: str):
    appointment = _by_token(token)
    found = booking.free_days(db.session(), appointment.service, booking.local_now())
    return render_template("appointments/days.html", service=_service(appointment.service),
                           service_key=appointment.service, days=found, moving=appointment, origin=None,
                           day_url=lambda day: url_for(".move_day", token=token, day=day.isoformat()))


@blueprint.route("/gerer/<token>/deplacer/<day>", methods=["GET", "POST"])
def move_day(token: str, day: str):
    appointment = _by_token(token)
    service = _service(appointment.service)
    chosen = _day(day)
    session = db.session()
    now = booking.local_now()
    form = TimeChoiceForm()
    free = booking.free_times(session, appointment.service, chosen, now)
    _time_choices(form, free)
    action = url_for(".move_day", token=token, day=day)
    if request.method == "GET" or not form.validate():
        return _day_page(service, appointment.service, chosen, form, free, 200 if request.method == "GET" else 400,
                         action=action)
    try:
        booking.move(session, appointment, _start(chosen, form), now)
    except booking.SlotUnavailable:
        session.rollback()
        return _day_page(service, appointment.service, chosen, form, free, 400,
                         gettext("Cette heure n'est pas proposée ce jour-là, ou elle est déjà passée. "
                                 "Choisissez une heure dans la liste."), action=action)
    except booking.SlotTaken as taken:
        session.rollback()
        _time_choices(form, taken.alternatives)
        form.heure.data = None
        return _day_page(service, appointment.service, chosen, form, taken.alternatives, 409,
                         gettext("Ce créneau vient d'être pris par une autre personne. Choisissez une autre heure."),
                         action=action)
    mails.queue_moved(session, appointment, token)
    session.commit()
    outbox.send_after_response()
    flash(gettext("Votre rendez-vous a changé d'heure."), "rendez-vous")
    return redirect(url_for(".manage", token=token))
