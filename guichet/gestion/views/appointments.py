"""Appointments in the back office: each day's agenda per desk (cancelled appointments shown as such, their slot
free again), "venu / pas venu", booking for someone on the phone, and the service's weekly openings and closures.

Agents and supervisors work on their services' appointments, administrators on every service; any other
service is not found (404), so nobody learns what another service has planned.
"""
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import delete

from guichet import db
from guichet.appointments import booking, mails
from guichet.appointments.forms import WEEKDAYS, AttendanceForm, BookingForm, ClosureForm, OpeningForm
from guichet.appointments.models import Appointment, Closure, OpeningPattern
from guichet.audit import log as audit
from guichet.gestion.access import current_staff, requires
from guichet.gestion.forms import EmptyForm
from guichet.mail import outbox
from guichet.staff.roles import has_role, services_for

blueprint = Blueprint("appointments", __name__, url_prefix="/rendez-vous")
ROLES = ("agent", "superviseur", "admin")


def managed_services() -> list[str]:
    """The services whose appointments the member handles, in the settings' order."""
    member = current_staff()
    known = current_app.config["SETTINGS"]["services"]
    mine = set(known) if has_role(member, "admin") else services_for(member, "agent", "superviseur")
    return [key for key in known if key in mine]


def _service(key: str) -> dict:
    if key not in managed_services():
        abort(404)
    return current_app.config["SETTINGS"]["services"][key]


def _day(text: str | None) -> date:
    if not text:
        return booking.local_now().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@blueprint.get("/")
@requires(*ROLES)
def index():
    services = current_app.config["SETTINGS"]["services"]
    return render_template("gestion/appointments/index.html",
                           managed=[(key, services[key]) for key in managed_services()])


@blueprint.get("/<service_key>/agenda")
@requires(*ROLES)
def agenda(service_key: str):
    service = _service(service_key)
    day = _day(request.args.get("jour"))
    session = db.session()
    rows = booking.agenda(session, service_key, day)
    desks = max([slot.desks for slot in booking.slots_of(session, service_key, day)] + [row.desk for row in rows],
                default=0)
    booked = booking.kept(rows)
    audit.record(session, "consultation_agenda", current_staff(), "agenda", None,
                 {"service": service_key, "jour": day.isoformat(), "rendez_vous": len(rows)})
    session.commit()
    return render_template("gestion/appointments/agenda.html", service=service, service_key=service_key, day=day,
                           by_desk=[(desk, [row for row in rows if row.desk == desk]) for desk in range(1, desks + 1)],
                           previous=day - timedelta(days=1), following=day + timedelta(days=1),
                           form=AttendanceForm(), total=len(booked), cancelled=len(rows) - len(booked))


def _appointment(service_key: str, appointment_id: int) -> Appointment:
    _service(service_key)
    appointment = db.session().get(Appointment, appointment_id)
    if appointment is None or appointment.service != service_key:
        abort(404)
    return appointment


@blueprint.post("/<service_key>/<int:appointment_id>/presence")
@requires(*ROLES)
def attendance(service_key: str, appointment_id: int):
    appointment = _appointment(service_key, appointment_id)
    form = AttendanceForm()
    if not form.validate():
        abort(400, description=_("Choisissez Venu ou Pas venu."))
    if appointment.cancelled:
        abort(409, description=_("Ce rendez-vous est annulé : sa présence ne se note pas."))
    appointment.attended = form.presence.data == "venu"
    audit.record(db.session(), "presence_rendez_vous", current_staff(), "rendez_vous", appointment.id,
                 {"venu": appointment.attended})
    db.session().commit()
    flash(_("Présence enregistrée pour %(name)s.", name=appointment.name), "gestion")
    return redirect(url_for(".agenda", service_key=service_key, jour=appointment.start.date().isoformat()))


# --- Booking for someone on the phone ------------------------------------------------------------------

@blueprint.route("/<service_key>/reserver", methods=["GET", "POST"])
@requires(*ROLES)
def book(service_key: str):
    service = _service(service_key)
    session = db.session()
    now = booking.local_now()
    if not request.values.get("jour"):
        return render_template("gestion/appointments/book_days.html", service=service, service_key=service_key,
                               days=booking.free_days(session, service_key, now))
    day = _day(request.values.get("jour"))
    form = BookingForm()
    free = booking.free_times(session, service_key, day, now)
    form.heure.choices = [(f"{slot.start:%H:%M}", f"{slot.start.hour} h {slot.start.minute:02d}") for slot in free]
    if request.method == "GET" or not form.validate():
        return _book_page(service, service_key, day, form, free, 200 if request.method == "GET" else 400)
    person = booking.Person(name=form.nom.data.strip(), phone=form.telephone.data.strip(),
                            email=(form.email.data or "").strip() or None, subject=(form.objet.data or "").strip())
    hours, minutes = (int(part) for part in form.heure.data.split(":"))
    try:
        start = datetime.combine(day, time(hours, minutes))
        appointment, token = booking.book(session, service_key, start, person, now, booked_by=current_staff().id)
    except (ValueError, booking.SlotUnavailable):
        session.rollback()
        return _book_page(service, service_key, day, form, free, 400,
                          _("Cette heure n'est pas proposée ce jour-là, ou elle est déjà passée."))
    except booking.SlotTaken as taken:
        session.rollback()
        form.heure.choices = [(f"{slot.start:%H:%M}", f"{slot.start.hour} h {slot.start.minute:02d}")
                              for slot in taken.alternatives]
        form.heure.data = None
        return _book_page(service, service_key, day, form, taken.alternatives, 409,
                          _("Ce créneau vient d'être pris. Choisissez une autre heure."))
    mails.queue_confirmation(session, appointment, token)
    audit.record(session, "rendez_vous_pris_par_agent", current_staff(), "rendez_vous", appointment.id,
                 {"service": service_key, "debut": appointment.start.isoformat()})
    session.commit()
    outbox.send_after_response()
    flash(_("Rendez-vous enregistré pour %(name)s. Dites-lui le jour et l'heure.", name=appointment.name), "gestion")
    return redirect(url_for(".agenda", service_key=service_key, jour=day.isoformat()))


def _book_page(service, service_key, day, form, free, status, problem=None):
    return render_template("gestion/appointments/book.html", service=service, service_key=service_key, day=day,
                           form=form, free=free, problem=problem, has_errors=bool(form.errors or problem)), status


# --- Openings and closures ------------------------------------------------------------------------------

@blueprint.get("/<service_key>/creneaux")
@requires(*ROLES)
def openings(service_key: str):
    return _openings_page(service_key, OpeningForm(formdata=None), ClosureForm(formdata=None))


def _openings_page(service_key: str, opening_form, closure_form, status: int = 200, problem: str | None = None):
    service = _service(service_key)
    session = db.session()
    return render_template("gestion/appointments/openings.html", service=service, service_key=service_key,
                           openings=booking.openings(session, service_key),
                           closures=[closure for closure in booking.closures(session, service_key)
                                     if closure.day >= booking.local_now().date()],
                           weekdays=dict(WEEKDAYS), opening_form=opening_form, closure_form=closure_form,
                           delete_form=EmptyForm(), problem=problem,
                           has_errors=bool(opening_form.errors or closure_form.errors or problem)), status


@blueprint.post("/<service_key>/creneaux")
@requires(*ROLES)
def add_opening(service_key: str):
    _service(service_key)
    form = OpeningForm()
    if not form.validate():
        return _openings_page(service_key, form, ClosureForm(formdata=None), 400)
    session = db.session()
    opening = OpeningPattern(service=service_key, weekday=form.weekday.data, opens=form.opens.data,
                             closes=form.closes.data, slot_minutes=form.slot_minutes.data, desks=form.desks.data)
    if not booking.add_opening(session, opening):
        return _openings_page(service_key, form, ClosureForm(formdata=None), 400,
                              _("Ces horaires chevauchent une autre ouverture du même jour. Changez les heures."))
    session.flush()
    audit.record(session, "ouverture_rendez_vous_ajoutee", current_staff(), "ouverture", opening.id,
                 {"service": service_key, "jour": opening.weekday, "de": opening.opens.isoformat(),
                  "a": opening.closes.isoformat(), "duree": opening.slot_minutes, "guichets": opening.desks})
    session.commit()
    flash(_("Ouverture ajoutée."), "gestion")
    return redirect(url_for(".openings", service_key=service_key))


@blueprint.post("/<service_key>/creneaux/<int:opening_id>/supprimer")
@requires(*ROLES)
def remove_opening(service_key: str, opening_id: int):
    _service(service_key)
    if not EmptyForm().validate():
        abort(400)
    session = db.session()
    if not booking.remove_opening(session, service_key, opening_id):
        abort(404)
    audit.record(session, "ouverture_rendez_vous_supprimee", current_staff(), "ouverture", opening_id,
                 {"service": service_key})
    session.commit()
    flash(_("Ouverture supprimée. Les rendez-vous déjà pris restent dans l'agenda."), "gestion")
    return redirect(url_for(".openings", service_key=service_key))


@blueprint.post("/<service_key>/fermetures")
@requires(*ROLES)
def add_closure(service_key: str):
    _service(service_key)
    form = ClosureForm()
    if not form.validate():
        return _openings_page(service_key, OpeningForm(formdata=None), form, 400)
    session = db.session()
    if form.day.data < booking.local_now().date() or any(closure.day == form.day.data
                                                         for closure in booking.closures(session, service_key)):
        return _openings_page(service_key, OpeningForm(formdata=None), form, 400,
                              _("Ce jour est passé, ou il est déjà fermé."))
    closure = Closure(service=service_key, day=form.day.data, reason=form.reason.data.strip())
    session.add(closure)
    session.flush()
    audit.record(session, "fermeture_rendez_vous_ajoutee", current_staff(), "fermeture", closure.id,
                 {"service": service_key, "jour": closure.day.isoformat()})
    session.commit()
    booked = len(booking.kept(booking.agenda(session, service_key, closure.day)))
    flash(_("Fermeture ajoutée.") + (" " + _("Attention : %(num)d rendez-vous sont déjà pris ce jour-là. "
                                              "Appelez ces personnes.", num=booked) if booked else ""), "gestion")
    return redirect(url_for(".openings", service_key=service_key))


@blueprint.post("/<service_key>/fermetures/<int:closure_id>/supprimer")
@requires(*ROLES)
def remove_closure(service_key: str, closure_id: int):
    _service(service_key)
    if not EmptyForm().validate():
        abort(400)
    session = db.session()
    removed = session.execute(delete(Closure).where(Closure.id == closure_id, Closure.service == service_key)).rowcount
    if not removed:
        abort(404)
    audit.record(session, "fermeture_rendez_vous_supprimee", current_staff(), "fermeture", closure_id,
                 {"service": service_key})
    session.commit()
    flash(_("Fermeture supprimée."), "gestion")
    return redirect(url_for(".openings", service_key=service_key))
