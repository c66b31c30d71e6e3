"""Appointments, call-backs, /ecrire and the téléservices page: axe at 360 and 1280 px, valid HTML, w3m.

Every state a person or an agent can meet: lists, forms, errors, the slot taken a second before (409),
confirmation, cancellation, moving; the back office's agenda, openings, booking by phone and call-back queue.
"""
import re
import shutil
import subprocess

import pytest
from selenium.webdriver.common.by import By

from a11y.audit import PageState, audit, report
from a11y.html_check import check_pages, checker_available
from a11y.html_check import report as html_report
from guichet import db
from guichet.callbacks.models import CallbackRequest
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member
from tests.appointments.helpers import SERVICE, bookable_day, close_service, csrf, open_service
from tests.conftest import as_read, require
from tests.gestion.conftest import open_session

DETAILS = {"nom": "Léa Martin", "telephone": "06 12 34 56 78", "email": "lea@exemple.fr"}


@pytest.fixture
def opened(app):
    close_service(app)
    open_service(app, desks=1)
    yield bookable_day()
    close_service(app)
    with app.app_context():
        db.session().query(CallbackRequest).delete()
        db.session().commit()


def book(client, day, hour="09:00") -> str:
    """Book through the page; returns the person's link."""
    url = f"/rendez-vous/{SERVICE}/{day.isoformat()}"
    answer = client.post(url, data={"csrf_token": csrf(client.get(url).get_data(as_text=True)), "heure": hour,
                                    **DETAILS})
    assert answer.status_code == 302, answer.status_code
    return answer.headers["Location"]


def book_and_cancel(client, day, hour: str) -> None:
    """A booking its person cancels: the agents' agenda keeps it, marked "Annulé"."""
    link = book(client, day, hour)
    page = client.get(link).get_data(as_text=True)
    assert client.post(link + "/annuler", data={"csrf_token": csrf(page)}).status_code == 302


def a_call_back(client) -> None:
    page = client.get("/rappel/?depuis=/aide").get_data(as_text=True)
    assert client.post("/rappel/", data={"csrf_token": csrf(page), "depuis": "/aide", "nom": "Paul Martin",
                                         "telephone": "0612345678", "objet": "Une question",
                                         "jours": ["lundi"], "message": "Rappelez-moi."}).status_code == 302


def submit_first_form(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def citizen_pages(app, day) -> dict[str, str]:
    client = app.test_client()
    base = f"/rendez-vous/{SERVICE}"
    url = f"{base}/{day.isoformat()}"
    pages = {path: client.get(path).get_data(as_text=True)
             for path in ("/rendez-vous/", base, url, "/rappel/?depuis=/aide", "/modalites-teleservices",
                          "/demarches/ecrire", "/aide")}
    token = csrf(pages[url])
    pages["rendez-vous en erreur"] = client.post(url, data={"csrf_token": token, "telephone": "12"}).get_data(
        as_text=True)
    link = book(client, day, "09:00")
    pages["rendez-vous confirmé"] = client.get(link).get_data(as_text=True)
    late = client.post(url, data={"csrf_token": token, "heure": "09:00", **DETAILS})
    assert late.status_code == 409
    pages["créneau pris (409)"] = late.get_data(as_text=True)
    pages["déplacer : jours"] = client.get(link + "/deplacer").get_data(as_text=True)
    pages["déplacer : heures"] = client.get(f"{link}/deplacer/{day.isoformat()}").get_data(as_text=True)
    pages["rappel en erreur"] = client.post("/rappel/", data={"csrf_token": token, "telephone": "x"}).get_data(
        as_text=True)
    sent = client.post("/rappel/", data={"csrf_token": token, "depuis": "/aide", "nom": "Paul",
                                         "telephone": "0612345678", "objet": "Une question"})
    pages["rappel envoyé"] = client.get(sent.headers["Location"]).get_data(as_text=True)
    cancelled = client.post(link + "/annuler", data={"csrf_token": csrf(pages["rendez-vous confirmé"])})
    pages["rendez-vous annulé"] = client.get(cancelled.headers["Location"]).get_data(as_text=True)
    return pages


def gestion_pages(app, make_staff, day) -> dict[str, str]:
    client = app.test_client()
    open_session(app, client, make_staff(("agent", SERVICE), ("agent", "accueil")))
    book(app.test_client(), day, "09:20")
    base = f"/gestion/rendez-vous/{SERVICE}"
    pages = {path: client.get(path).get_data(as_text=True) for path in (
        "/gestion/rendez-vous/", f"{base}/agenda?jour={day.isoformat()}", f"{base}/creneaux", f"{base}/reserver",
        f"{base}/reserver?jour={day.isoformat()}", "/gestion/rappels/", "/gestion/rappels/?tous=1")}
    token = csrf(pages[f"{base}/creneaux"])
    pages["ouverture en erreur"] = client.post(f"{base}/creneaux", data={
        "csrf_token": token, "weekday": "1", "opens": "12:00", "closes": "11:00", "slot_minutes": "1",
        "desks": "0"}).get_data(as_text=True)
    pages["fermeture en erreur"] = client.post(f"{base}/fermetures", data={
        "csrf_token": token, "fermeture-day": "pas une date"}).get_data(as_text=True)
    pages["prise de rendez-vous en erreur"] = client.post(f"{base}/reserver?jour={day.isoformat()}", data={
        "csrf_token": token, "heure": "09:40"}).get_data(as_text=True)
    book_and_cancel(app.test_client(), day, "09:40")
    pages["agenda avec un rendez-vous annulé"] = client.get(f"{base}/agenda?jour={day.isoformat()}").get_data(
        as_text=True)
    assert "<strong>Annulé</strong>" in pages["agenda avec un rendez-vous annulé"]
    a_call_back(app.test_client())
    queue = client.get("/gestion/rappels/").get_data(as_text=True)
    callback_id = re.search(r'action="/gestion/rappels/(\d+)"', queue).group(1)
    pages["rappels avec une personne"] = queue
    pages["rappel en erreur (gestion)"] = client.post(f"/gestion/rappels/{callback_id}", data={
        f"rappel-{callback_id}-csrf_token": token}).get_data(as_text=True)
    return pages


def test_contact_pages_are_valid_html(app, make_staff, opened):
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    pages = citizen_pages(app, opened)
    pages.update({f"gestion: {name}": html for name, html in gestion_pages(app, make_staff, opened).items()})
    errors = check_pages(pages)
    assert not errors, html_report(errors, len(pages))


def test_contact_pages_have_no_axe_violation(app, live_server, browser, opened):
    client = app.test_client()
    link = book(client, opened, "09:40")
    book_and_cancel(client, opened, "09:00")
    a_call_back(client)
    day = f"/rendez-vous/{SERVICE}/{opened.isoformat()}"
    states = [
        PageState("rendez-vous : services", "/rendez-vous/?depuis=/aide"),
        PageState("rendez-vous : jours", f"/rendez-vous/{SERVICE}"),
        PageState("rendez-vous : heures", day),
        PageState("rendez-vous : erreurs", day, submit_first_form),
        PageState("rendez-vous : le lien de la personne", link.replace("http://localhost", "")),
        PageState("rendez-vous : déplacer", link.replace("http://localhost", "") + "/deplacer"),
        PageState("rendez-vous annulé", f"/rendez-vous/annule?service={SERVICE}"),
        PageState("rappel", "/rappel/?depuis=/fiches/pacs"),
        PageState("rappel : erreurs", "/rappel/", submit_first_form),
        PageState("rappel envoyé", "/rappel/envoye?depuis=/aide&courriel=1"),
        PageState("modalités des téléservices", "/modalites-teleservices"),
        PageState("écrire à la mairie", "/demarches/ecrire"),
    ]
    sign_browser_out(browser)
    violations = audit(browser, live_server.url, states)
    member = staff_member(app, "audit.rendez-vous@admiville.test", ("agent", SERVICE), ("agent", "accueil"))
    sign_browser_in(app, browser, live_server.url, member)
    base = f"/gestion/rendez-vous/{SERVICE}"
    gestion = [
        PageState("gestion : rendez-vous", "/gestion/rendez-vous/"),
        PageState("gestion : agenda, avec un rendez-vous annulé", f"{base}/agenda?jour={opened.isoformat()}"),
        PageState("gestion : agenda vide", f"{base}/agenda?jour=2030-01-01"),
        PageState("gestion : ouvertures", f"{base}/creneaux"),
        PageState("gestion : ouvertures en erreur", f"{base}/creneaux", submit_first_form),
        PageState("gestion : réserver, jours", f"{base}/reserver"),
        PageState("gestion : réserver, heures", f"{base}/reserver?jour={opened.isoformat()}"),
        PageState("gestion : réserver en erreur", f"{base}/reserver?jour={opened.isoformat()}", submit_first_form),
        PageState("gestion : rappels", "/gestion/rappels/"),
        PageState("gestion : rappel en erreur", "/gestion/rappels/", submit_first_form),
    ]
    try:
        violations += audit(browser, live_server.url, gestion)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states) + len(gestion))


def w3m(html: str) -> str:
    text = subprocess.run(["w3m", "-dump", "-T", "text/html", "-cols", "80", "-I", "UTF-8", "-O", "UTF-8"],
                          input=html, capture_output=True, text=True, timeout=30, check=True).stdout
    return as_read(" ".join(text.split()))


def test_a_person_books_and_cancels_reading_plain_text(app, opened):
    """No JS, no calendar: a text browser shows the days as links and the times as radio buttons."""
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    client = app.test_client()
    days = w3m(client.get(f"/rendez-vous/{SERVICE}").get_data(as_text=True))
    assert "Quel jour voulez-vous venir ?" in days and "3 heures libres" in days
    times = w3m(client.get(f"/rendez-vous/{SERVICE}/{opened.isoformat()}").get_data(as_text=True))
    assert "À quelle heure ?" in times and "( ) 9 h 00" in times and "Confirmer le rendez-vous" in times
    link = book(client, opened, "09:20")
    confirmation = w3m(client.get(link).get_data(as_text=True))
    assert "Votre rendez-vous est confirmé." in confirmation and "9 h 20" in confirmation
    assert "Annuler ce rendez-vous" in confirmation
    callback = w3m(client.get("/rappel/?depuis=/aide").get_data(as_text=True))
    assert "[ ] Lundi" in callback and "Demander à être rappelé" in callback
