"""The back office's whole story in Chromium with JavaScript off (issue 7, "Done when"): a citizen's request,
an agent signed in with the demo account (password and authenticator code), who takes it and asks for a
missing document; the citizen sends it from the tracking page; the clock restarts (decree 2015-1404 art. 8);
the agent decides, and the citizen reads the decision and its letter, and gets the email."""
import re
from datetime import timedelta
from urllib.parse import urlparse

import pyotp
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from a11y.browser import chromium_available, start_chromium
from a11y.walker import small_png, submit, walk_to_check
from guichet import db
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.mail.models import OutboxMessage
from guichet.requests.deadlines import MissingPeriod, decision_due
from guichet.requests.mails import local_day
from guichet.requests.models import DemarcheRequest
from guichet.requests.receipt import counting_rules
from guichet.requests.workflow import compute_due
from guichet.staff.demo import (
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    ensure_demo_staff,
)
from tests.conftest import as_read, require

SLUG = "inscription-cantine"  # implicit acceptance after 2 months
DAYS_AGO = 20  # the request came in 20 days ago: the restart after the missing document moves the date
WAIT = 30  # seconds for a page to come: generous for slow machines, never a fixed sleep


def _text(driver) -> str:
    return as_read(driver.find_element(By.TAG_NAME, "body").text)


def _open(driver, url: str, expected: str) -> str:
    driver.get(url)
    return _wait_text(driver, expected)


def _wait_text(driver, expected: str) -> str:
    try:
        WebDriverWait(driver, WAIT).until(lambda d: expected in _text(d))
    except TimeoutException:
        raise AssertionError(f"never saw {expected!r} on {driver.current_url}:\n{_text(driver)[:3000]}") from None
    return _text(driver)


def _click(driver, xpath: str, expected: str) -> str:
    """Press a button or link (a real click: without JS the browser posts the form), wait for the next page."""
    old = driver.find_element(By.TAG_NAME, "html")
    WebDriverWait(driver, WAIT).until(EC.element_to_be_clickable((By.XPATH, xpath))).click()
    WebDriverWait(driver, WAIT).until(_replaced(old))
    return _wait_text(driver, expected)


def _replaced(old):
    """The page of `old` is gone. ChromeDriver sometimes says so with an "unknown error" (the node no longer
    belongs to the document) instead of a stale element: both mean the next page has come."""
    def gone(_driver) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False
    return gone


def _citizen_request(app) -> tuple[str, str, object]:
    """The citizen walks the démarche (a11y.walker) and keeps the receipt's reference and tracking code."""
    citizen = app.test_client()
    with app.app_context():
        demarche = catalogue().get(SLUG)
    receipt = citizen.get(submit(citizen, demarche, walk_to_check(citizen, demarche, all_files=False))
                          .headers["Location"]).get_data(as_text=True)
    reference = re.search(r"(ADM-\d{4}-\d{6})", receipt).group(1)
    secret = re.search(r'class="gros-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', receipt).group(1)
    return reference, secret, demarche


def _received_days_ago(app, reference: str, days: int):
    """Test set-up only: the request arrived `days` ago (so that a restart of the clock today shows)."""
    with app.app_context():
        session = db.session()
        row = session.scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
        row.received_at = utcnow() - timedelta(days=days)
        row.decision_due = compute_due(row, catalogue().get(row.demarche))
        session.commit()
        return row.email


def _long_date(app, day) -> str:
    with app.test_request_context("/"):
        return as_read(str(app.jinja_env.filters["long_date"](day)))


def _set_date(driver, field_id: str, day) -> None:
    """Pick a day in a date field. Its typed order follows the browser's locale (day or month first), so
    WebDriver sets the value the date picker would give, the page's own scripts staying off."""
    field = driver.find_element(By.ID, field_id)
    driver.execute_script("arguments[0].value = arguments[1]", field, day.isoformat())
    assert field.get_attribute("value") == day.isoformat()


def _sign_in(driver, base: str, email: str) -> None:
    _open(driver, base + "/gestion/connexion", "Continuer")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    _click(driver, "//button[normalize-space()='Continuer']", "Se connecter")
    driver.find_element(By.ID, "code").send_keys(pyotp.TOTP(DEMO_TOTP_SECRET).now())
    _click(driver, "//button[normalize-space()='Se connecter']", "Amina")


def _track(driver, base: str, reference: str, secret: str, expected: str) -> str:
    driver.delete_all_cookies()
    _open(driver, base + "/suivi", "Voir ma demande")
    driver.find_element(By.ID, "reference").send_keys(reference)
    driver.find_element(By.ID, "secret").send_keys(secret)
    return _click(driver, "//button[normalize-space()='Voir ma demande']", expected)


def test_back_office_story_without_javascript(app, live_server, tmp_path):
    require(chromium_available(), "Chromium and ChromeDriver (Debian packages chromium, chromium-driver)")
    with app.app_context():
        ensure_demo_staff(db.session(), app.config["SETTINGS"]["services"])
        db.session().commit()
    base = live_server.url
    # 1. the citizen's request, received 20 days ago: implicit acceptance 2 months after receipt
    reference, secret, demarche = _citizen_request(app)
    citizen_email = _received_days_ago(app, reference, DAYS_AGO)
    assert citizen_email, "the walker gives an email address: the decision is sent there"
    received, today = local_day(utcnow() - timedelta(days=DAYS_AGO)), local_day(utcnow())
    with app.app_context():
        rules = counting_rules()
    first_due = decision_due(received, demarche.legal, [], rules)
    document = tmp_path / "attestation-quotient.png"
    document.write_bytes(small_png())

    agent, citizen = start_chromium(javascript=False), start_chromium(javascript=False)
    try:
        # 2. the agent signs in with the demo account and its authenticator code, and takes the request
        _sign_in(agent, base, f"agent@{DEMO_DOMAIN}")
        day = received.strftime("%d/%m/%Y")
        page = _open(agent, f"{base}/gestion/demandes?demarche={SLUG}&recue_du={day}&recue_au={day}", reference)
        _click(agent, f"//button[@name='seule' and @value='{reference}']", "attribuée(s) à Amina")
        page = _open(agent, f"{base}/gestion/demandes/{reference}", "Délais légaux")
        assert _long_date(app, first_due) in page
        _click(agent, "//a[normalize-space()='Demander des pièces manquantes']", "Envoyer la demande de pièces")
        agent.find_element(By.ID, "other").send_keys("Attestation de quotient familial de la CAF")
        limit = today + timedelta(days=15)
        _set_date(agent, "deadline", limit)
        page = _click(agent, "//button[normalize-space()='Envoyer la demande de pièces']",
                      "le demandeur a reçu la liste des documents à envoyer")
        assert "le délai commencera quand toutes les pièces seront reçues" in page

        # 3. the citizen opens the tracking page with the reference and code, and sends the document
        _track(citizen, base, reference, secret, "Envoyer les documents demandés")
        _click(citizen, "//a[normalize-space()='Envoyer les documents demandés']", "Envoyer ce document")
        assert "Attestation de quotient familial de la CAF" in _text(citizen)
        citizen.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(document))
        _click(citizen, "//button[normalize-space()='Envoyer ce document']",
               "Document reçu : Attestation de quotient familial de la CAF")

        # 4. the agent sees the document in and the clock restarted today (art. 8 al. 2, implicit acceptance:
        # the full 2 months run again from the day all items came in), then accepts
        restarted_due = decision_due(received, demarche.legal, [MissingPeriod(today, limit, today)], rules)
        assert restarted_due > first_due
        page = _open(agent, f"{base}/gestion/demandes/{reference}", "Délais légaux")
        assert "Toutes les pièces sont reçues : le délai de 2 mois repart de zéro." in page
        assert _long_date(app, restarted_due) in page and _long_date(app, first_due) not in page
        assert document.name in page
        agent.find_element(By.XPATH, "//form[contains(@action, '/actions/accepter')]//textarea").send_keys(
            "Vos enfants sont inscrits à la cantine à partir du lundi suivant.")
        page = _click(agent, "//form[contains(@action, '/actions/accepter')]//button", "Acceptée")
        assert "Aucune : la demande est terminée." in page

        # 5. the citizen reads the decision and its letter; the decision email is in the outbox, with the link
        page = _track(citizen, base, reference, secret, "lire ou imprimer")
        assert "Le service a accepté votre demande." in page
        _click(citizen, "//a[normalize-space()='lire ou imprimer']", reference)
        assert "Vos enfants sont inscrits à la cantine" in _text(citizen)
        letter_path = urlparse(citizen.current_url).path
    finally:
        agent.quit()
        citizen.quit()
    with app.app_context():
        mails = {subject: body for subject, body in db.session().execute(
            select(OutboxMessage.subject, OutboxMessage.body).where(OutboxMessage.recipient == citizen_email))}
    decision = f"Votre demande {reference} : Acceptée"
    assert decision in mails, list(mails)
    assert letter_path in mails[decision]
