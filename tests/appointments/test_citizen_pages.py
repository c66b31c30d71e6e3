"""Booking, cancelling and moving without JavaScript, through the pages a person sees."""
import re
import threading

from hypothesis import given
from hypothesis import strategies as st

from guichet import db
from guichet.appointments.models import Appointment
from tests.appointments.helpers import SERVICE, bookable_day, csrf, offered_times

DETAILS = {"nom": "Léa Martin", "telephone": "06 12 34 56 78", "email": "lea@exemple.fr"}


def day_url(day) -> str:
    return f"/rendez-vous/{SERVICE}/{day.isoformat()}"


def count(app) -> int:
    """Appointments that hold a slot (a cancelled one stays for the agents' agenda, see tests/gestion)."""
    with app.app_context():
        return db.session().query(Appointment).filter(Appointment.service == SERVICE,
                                                      Appointment.cancelled_at.is_(None)).count()


def book(client, day, hour="09:00", **details):
    page = client.get(day_url(day)).get_data(as_text=True)
    return client.post(day_url(day), data={"csrf_token": csrf(page), "heure": hour, **(details or DETAILS)})


def test_the_days_are_links_and_the_times_are_radio_buttons(app, client, opened):
    day = bookable_day()
    html = client.get(f"/rendez-vous/{SERVICE}?depuis=/aide").get_data(as_text=True)
    assert f'href="{day_url(day)}?depuis=/aide"' in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    page = client.get(day_url(day))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert offered_times(page.get_data(as_text=True)) == ["09:00", "09:20", "09:40"]
    assert 'type="radio"' in page.get_data(as_text=True)


def test_a_person_books_sees_the_confirmation_then_cancels(app, opened):
    client = app.test_client()
    day = bookable_day()
    answer = book(client, day, "09:20")
    assert answer.status_code == 302 and "/rendez-vous/gerer/" in answer.headers["Location"]
    confirmation = client.get(answer.headers["Location"])
    text = confirmation.get_data(as_text=True)
    assert confirmation.headers["Cache-Control"] == "no-store"
    assert "Votre rendez-vous est confirmé." in text and "9 h 20" in text and "Léa Martin" in text
    assert count(app) == 1
    cancelled = client.post(answer.headers["Location"] + "/annuler", data={"csrf_token": csrf(text)})
    assert cancelled.status_code == 302
    assert "Votre rendez-vous est annulé" in client.get(cancelled.headers["Location"]).get_data(as_text=True)
    assert count(app) == 0
    assert client.get(answer.headers["Location"]).status_code == 404


def test_a_person_moves_the_appointment_with_the_link(app, opened):
    client = app.test_client()
    day = bookable_day()
    link = book(client, day, "09:00").headers["Location"]
    other = bookable_day(weekday=3)
    days = client.get(link + "/deplacer").get_data(as_text=True)
    assert f'{link}/deplacer/{other.isoformat()}' in days
    page = client.get(f"{link}/deplacer/{other.isoformat()}").get_data(as_text=True)
    moved = client.post(f"{link}/deplacer/{other.isoformat()}", data={"csrf_token": csrf(page), "heure": "09:40"})
    assert moved.status_code == 302
    with app.app_context():
        (row,) = db.session().query(Appointment).filter(Appointment.service == SERVICE).all()
        assert (row.start.date(), row.start.hour, row.start.minute) == (other, 9, 40)


def test_the_last_desk_taken_gives_409_with_the_other_times_and_the_typed_details(app, opened):
    day = bookable_day()
    assert book(app.test_client(), day, "09:00").status_code == 302
    assert book(app.test_client(), day, "09:00").status_code == 302
    late = book(app.test_client(), day, "09:00", nom="Paul Durand", telephone="0611223344")
    text = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Ce créneau vient d'être pris" in text.replace("&#39;", "'")
    assert offered_times(text) == ["09:20", "09:40"]
    assert 'value="Paul Durand"' in text
    assert count(app) == 2


def test_bad_input_gets_a_clear_message_a_4xx_and_books_nothing(app, client, opened):
    day = bookable_day()
    for hour, details, message in [
        ("07:00", DETAILS, "pas proposée"),
        ("9h", DETAILS, "Cette heure n'existe pas"),
        ("09:00", {**DETAILS, "telephone": "12"}, "numéro de téléphone français"),
        ("09:00", {**DETAILS, "nom": ""}, "Écrivez votre nom"),
        ("09:00", {**DETAILS, "email": "pas-une-adresse"}, "adresse e-mail complète"),
    ]:
        answer = book(client, day, hour, **details)
        assert answer.status_code == 400, hour
        assert message in answer.get_data(as_text=True).replace("&#39;", "'")
    past = f"/rendez-vous/{SERVICE}/2020-01-07"
    assert client.get(past).status_code == 404
    assert client.post(past, data={"csrf_token": csrf(client.get(day_url(day)).get_data(as_text=True)),
                                   "heure": "09:00", **DETAILS}).status_code == 400
    assert client.get(f"/rendez-vous/{SERVICE}/pas-une-date").status_code == 404
    assert client.get("/rendez-vous/service-inconnu").status_code == 404
    assert client.get("/rendez-vous/gerer/" + "x" * 32).status_code == 404
    assert count(app) == 0


@given(hour=st.text(max_size=8), name=st.text(max_size=250), phone=st.text(max_size=40),
       email=st.text(max_size=60))
def test_any_typed_booking_is_either_booked_or_refused_with_a_4xx(app, opened, hour, name, phone, email):
    client = app.test_client()
    day = bookable_day()
    before = count(app)
    answer = book(client, day, hour, nom=name, telephone=phone, email=email)
    assert answer.status_code in (302, 400, 409)
    assert count(app) == before + (1 if answer.status_code == 302 else 0)
    with app.app_context():
        db.session().query(Appointment).filter(Appointment.service == SERVICE).delete()
        db.session().commit()


def test_the_help_page_and_the_fiches_lead_to_appointments_and_call_backs(app, client, opened):
    help_page = client.get("/aide").get_data(as_text=True)
    assert "/rendez-vous/?depuis=/aide" in help_page and "/rappel/?depuis=/aide" in help_page
    fiche = client.get("/fiches/inscription-listes-electorales").get_data(as_text=True)
    assert re.search(rf'href="/rendez-vous/{SERVICE}\?depuis=/fiches/inscription-listes-electorales"', fiche)
    assert 'href="/rappel/?depuis=/fiches/inscription-listes-electorales"' in fiche


def test_a_fiche_stored_before_the_service_opened_shows_the_link_after(app, client, monkeypatch):
    """Fiches are stored pages: adding or removing openings rebuilds them, or the link would lag behind."""
    from tests.appointments.helpers import close_service, open_service
    monkeypatch.setattr(app.extensions["guichet_pages"], "ttl", 0)
    link = f'href="/rendez-vous/{SERVICE}?depuis=/fiches/inscription-listes-electorales"'
    close_service(app)
    assert link not in client.get("/fiches/inscription-listes-electorales").get_data(as_text=True)
    open_service(app)
    try:
        assert link in client.get("/fiches/inscription-listes-electorales").get_data(as_text=True)
    finally:
        close_service(app)
    assert link not in client.get("/fiches/inscription-listes-electorales").get_data(as_text=True)


def test_twenty_people_on_the_last_desk_of_a_slot_on_postgresql(pg_app):
    """One wins; the 19 others get 409, the clear message and the other free times of the day."""
    from tests.appointments.helpers import close_service, open_service
    close_service(pg_app)
    open_service(pg_app, desks=2)
    day = bookable_day()
    try:
        assert book(pg_app.test_client(), day, "09:00").status_code == 302  # one desk left
        clients = [pg_app.test_client() for _ in range(20)]
        tokens = [csrf(client.get(day_url(day)).get_data(as_text=True)) for client in clients]
        start = threading.Barrier(20)
        answers = [None] * 20

        def attempt(index):
            start.wait()
            answers[index] = clients[index].post(day_url(day), data={
                "csrf_token": tokens[index], "heure": "09:00", **DETAILS, "nom": f"Personne {index}"})

        threads = [threading.Thread(target=attempt, args=(index,)) for index in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [302] + [409] * 19
        for answer in answers:
            if answer.status_code == 409:
                text = answer.get_data(as_text=True).replace("&#39;", "'")
                assert "Ce créneau vient d'être pris" in text
                assert offered_times(text) == ["09:20", "09:40"]
        with pg_app.app_context():
            rows = db.session().query(Appointment).filter(Appointment.service == SERVICE).all()
            assert sorted((row.start.hour, row.start.minute, row.desk) for row in rows) == [(9, 0, 1), (9, 0, 2)]
    finally:
        close_service(pg_app)
