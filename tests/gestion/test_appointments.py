"""Appointments in the back office: openings, closures, agenda per desk, attendance, booking by phone, and the
per-service rule (another service's pages and appointments are not found)."""
import re
from datetime import date, timedelta
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet import db
from guichet.appointments.models import Appointment, OpeningPattern
from guichet.audit.models import AuditEntry
from tests.appointments.helpers import SERVICE, bookable_day, close_service, open_service
from tests.appointments.helpers import csrf as csrf_of
from tests.gestion.conftest import open_session


@pytest.fixture
def clean(app):
    close_service(app)
    yield
    close_service(app)


def signed_in(app, make_staff, *roles):
    client = app.test_client()
    open_session(app, client, make_staff(*roles))
    return client


def token(client, path) -> str:
    return re.search(r'name="[a-z0-9-]*csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_an_agent_defines_openings_and_closures_of_their_service(app, make_staff, clean):
    client = signed_in(app, make_staff, ("agent", SERVICE))
    page = f"/gestion/rendez-vous/{SERVICE}/creneaux"
    csrf = token(client, page)
    added = client.post(page, data={"csrf_token": csrf, "weekday": "1", "opens": "09:00", "closes": "12:00",
                                    "slot_minutes": "30", "desks": "3"})
    assert added.status_code == 302
    overlap = client.post(page, data={"csrf_token": csrf, "weekday": "1", "opens": "11:30", "closes": "13:00",
                                      "slot_minutes": "30", "desks": "1"})
    assert overlap.status_code == 400 and "chevauchent" in overlap.get_data(as_text=True)
    backwards = client.post(page, data={"csrf_token": csrf, "weekday": "1", "opens": "14:00", "closes": "13:00",
                                        "slot_minutes": "300", "desks": "0"})
    assert backwards.status_code == 400
    text = backwards.get_data(as_text=True)
    assert "après l'heure de début" in text.replace("&#39;", "'") and "de 5 à 240 minutes" in text
    closure_day = bookable_day()
    closed = client.post(f"/gestion/rendez-vous/{SERVICE}/fermetures", data={
        "csrf_token": csrf, "fermeture-day": closure_day.strftime("%d/%m/%Y"), "fermeture-reason": "Formation"})
    assert closed.status_code == 302
    past = client.post(f"/gestion/rendez-vous/{SERVICE}/fermetures", data={
        "csrf_token": csrf, "fermeture-day": "01/01/2020", "fermeture-reason": "Trop tard"})
    assert past.status_code == 400
    with app.app_context():
        (opening,) = db.session().query(OpeningPattern).filter_by(service=SERVICE).all()
        assert (opening.slot_minutes, opening.desks) == (30, 3)
        actions = {entry.action for entry in db.session().query(AuditEntry).all()}
        assert {"ouverture_rendez_vous_ajoutee", "fermeture_rendez_vous_ajoutee"} <= actions
    assert "Formation" in client.get(page).get_data(as_text=True)


def test_the_agenda_shows_each_desk_and_records_attendance(app, make_staff, clean):
    open_service(app, desks=2)
    client = signed_in(app, make_staff, ("agent", SERVICE))
    day = bookable_day()
    booking_page = f"/gestion/rendez-vous/{SERVICE}/reserver?jour={day.isoformat()}"
    csrf = token(client, booking_page)
    for name in ("Jean Dupont", "Awa Diallo"):
        booked = client.post(booking_page, data={"csrf_token": csrf, "heure": "09:00", "nom": name,
                                                 "telephone": "0612345678"})
        assert booked.status_code == 302
    full = client.post(booking_page, data={"csrf_token": csrf, "heure": "09:00", "nom": "Trop tard",
                                           "telephone": "0612345678"})
    assert full.status_code == 409 and "vient d" in full.get_data(as_text=True)
    agenda = client.get(f"/gestion/rendez-vous/{SERVICE}/agenda?jour={day.isoformat()}").get_data(as_text=True)
    assert "Guichet 1" in agenda and "Guichet 2" in agenda
    assert "Jean Dupont" in agenda and "Awa Diallo" in agenda
    with app.app_context():
        first = db.session().query(Appointment).filter_by(service=SERVICE, desk=1).one()
        assert first.booked_by_id is not None
    marked = client.post(f"/gestion/rendez-vous/{SERVICE}/{first.id}/presence",
                         data={"csrf_token": csrf, "presence": "absent"})
    assert marked.status_code == 302
    refused = client.post(f"/gestion/rendez-vous/{SERVICE}/{first.id}/presence",
                          data={"csrf_token": csrf, "presence": "peut-etre"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session().get(Appointment, first.id).attended is False


def test_a_cancelled_appointment_stays_in_the_agenda_marked_cancelled_and_its_slot_is_bookable(app, make_staff, clean):
    open_service(app, desks=1)
    day = bookable_day()
    person = app.test_client()
    hours = person.get(f"/rendez-vous/{SERVICE}/{day.isoformat()}").get_data(as_text=True)
    link = person.post(f"/rendez-vous/{SERVICE}/{day.isoformat()}", data={
        "csrf_token": csrf_of(hours), "heure": "09:00", "nom": "Léa Martin", "telephone": "0612345678"},
    ).headers["Location"]
    assert person.post(link + "/annuler", data={"csrf_token": csrf_of(person.get(link).get_data(as_text=True))}
                       ).status_code == 302
    client = signed_in(app, make_staff, ("agent", SERVICE))
    agenda_page = f"/gestion/rendez-vous/{SERVICE}/agenda?jour={day.isoformat()}"
    agenda = unescape(client.get(agenda_page).get_data(as_text=True))
    row = re.search(r"<tr>\s*<td>9 h 00 <strong>Annulé</strong></td>.*?</tr>", agenda, re.S).group(0)
    assert "Léa Martin" in row and "Annulé par la personne le " in row and "Le créneau a été libéré." in row
    assert "presence" not in row  # no "venu / pas venu" for a cancelled appointment
    assert "0 rendez-vous – 1 annulé, son créneau a été libéré" in agenda
    with app.app_context():
        cancelled = db.session().query(Appointment).filter_by(service=SERVICE).one()
    booking_page = f"/gestion/rendez-vous/{SERVICE}/reserver?jour={day.isoformat()}"
    csrf = token(client, booking_page)
    assert 'value="09:00"' in client.get(booking_page).get_data(as_text=True)  # the freed slot is offered
    marked = client.post(f"/gestion/rendez-vous/{SERVICE}/{cancelled.id}/presence",
                         data={"csrf_token": csrf, "presence": "venu"})
    assert marked.status_code == 409
    booked = client.post(booking_page, data={"csrf_token": csrf, "heure": "09:00", "nom": "Awa Diallo",
                                             "telephone": "0612345678"})
    assert booked.status_code == 302
    agenda = unescape(client.get(agenda_page).get_data(as_text=True))
    assert "1 rendez-vous – 1 annulé" in agenda and "Awa Diallo" in agenda and "Léa Martin" in agenda
    with app.app_context():
        assert db.session().get(Appointment, cancelled.id).attended is None


def test_another_service_is_not_found_but_an_admin_sees_every_service(app, make_staff, clean):
    open_service(app)
    agent = signed_in(app, make_staff, ("agent", "voirie"))
    day = date.today() + timedelta(days=1)
    for path in (f"/gestion/rendez-vous/{SERVICE}/agenda", f"/gestion/rendez-vous/{SERVICE}/creneaux",
                 f"/gestion/rendez-vous/{SERVICE}/reserver?jour={day.isoformat()}"):
        assert agent.get(path).status_code == 404, path
    assert SERVICE not in agent.get("/gestion/rendez-vous/").get_data(as_text=True)
    admin = signed_in(app, make_staff, ("admin", None))
    assert admin.get(f"/gestion/rendez-vous/{SERVICE}/creneaux").status_code == 200
    nobody = signed_in(app, make_staff, ("editeur", SERVICE))
    assert nobody.get("/gestion/rendez-vous/").status_code == 403


@settings(max_examples=25)
@given(weekday=st.one_of(st.sampled_from(["0", "3", "6", "7"]), st.text(max_size=3)),
       opens=st.one_of(st.sampled_from(["08:00", "13:30", "25:00"]), st.text(max_size=8)),
       closes=st.one_of(st.sampled_from(["12:00", "13:30", "18:00"]), st.text(max_size=8)),
       minutes=st.one_of(st.integers(-5, 300).map(str), st.text(max_size=5)),
       desks=st.one_of(st.integers(-1, 25).map(str), st.text(max_size=4)))
def test_any_typed_opening_is_added_or_refused_with_a_4xx(app, make_staff, weekday, opens, closes, minutes, desks):
    client = signed_in(app, make_staff, ("agent", SERVICE))
    page = f"/gestion/rendez-vous/{SERVICE}/creneaux"
    with app.app_context():
        before = db.session().query(OpeningPattern).filter_by(service=SERVICE).count()
    answer = client.post(page, data={"csrf_token": token(client, page), "weekday": weekday, "opens": opens,
                                     "closes": closes, "slot_minutes": minutes, "desks": desks})
    assert answer.status_code in (302, 400)
    with app.app_context():
        session = db.session()
        assert session.query(OpeningPattern).filter_by(service=SERVICE).count() == before + (answer.status_code == 302)
        session.query(OpeningPattern).filter_by(service=SERVICE).delete()
        session.commit()
