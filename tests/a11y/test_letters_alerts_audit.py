"""axe-core at 360 and 1280 px, and the HTML checker, on letters (back office and /suivi), the attestation
offer, "Mes alertes" (with its error state) and the registration of requests from other channels."""
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from a11y.audit import PageState, audit, report
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member
from tests.a11y.test_workflow_audit import open_tracking
from tests.gestion.conftest import make_staff, open_session  # noqa: F401 (fixture)
from tests.gestion.test_letters import act, citizen_for, letters_of
from tests.requests.helpers import make_request


def decided_with_letter(app, make_staff):
    """A refused request with its letter, and an implicitly accepted one with its attestation."""
    agent = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    open_session(app, client, agent)
    refused = make_request(app, status="en_instruction")
    act(client, refused, "refuser", "L'acte n'est pas détenu par la mairie.\nDemandez-le à la commune de naissance.")
    accepted = make_request(app, status="acceptation_implicite")
    return client, refused, letters_of(app, refused)[0][0], accepted


def appears(driver, selector: str) -> None:
    """The page after a submit (a loaded machine may take a few seconds)."""
    WebDriverWait(driver, 15).until(lambda current: current.find_elements(By.CSS_SELECTOR, selector))


def choose_nothing(driver) -> None:
    """Post the form without a choice for new requests (a state a browser can only reach by hand)."""
    for radio in driver.find_elements(By.CSS_SELECTOR, "main input[type=radio]"):
        driver.execute_script("arguments[0].checked = false;", radio)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    appears(driver, ".resume-erreurs")


def choose_code(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "main select option:nth-child(2)").click()
    driver.find_element(By.CSS_SELECTOR, "main input[value=code]").click()
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    appears(driver, ".gros-code")


def submit_empty(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    appears(driver, ".resume-erreurs")


def test_letters_and_alerts_pages_have_no_axe_violation(app, live_server, browser, make_staff):
    _client, refused, letter_id, accepted = decided_with_letter(app, make_staff)
    member = staff_member(app, "audit.courriers@admiville.test", ("agent", "etat-civil"))
    sign_browser_in(app, browser, live_server.url, member)
    back_office = [
        PageState("demande refusée, courriers", f"/gestion/demandes/{refused}"),
        PageState("courrier de refus", f"/gestion/demandes/{refused}/courriers/{letter_id}"),
        PageState("acceptation implicite, attestation possible", f"/gestion/demandes/{accepted}"),
        PageState("mes alertes", "/gestion/mes-alertes"),
        PageState("mes alertes, erreur", "/gestion/mes-alertes", choose_nothing),
        PageState("enregistrer une demande", "/gestion/guichet"),
        PageState("enregistrer une demande, erreurs", "/gestion/guichet", submit_empty),
        PageState("code de reprise", "/gestion/guichet", choose_code),
    ]
    try:
        violations = audit(browser, live_server.url, back_office)
    finally:
        sign_browser_out(browser)

    def then(path):
        def prepare(driver) -> None:
            open_tracking(live_server.url, path.split("/")[2])(driver)
            driver.get(live_server.url + path)
        return prepare
    citizen = [
        PageState("suivi, courrier de refus", f"/suivi/{refused}", open_tracking(live_server.url, refused)),
        PageState("suivi, lettre de refus", "/suivi", then(f"/suivi/{refused}/courriers/{letter_id}")),
        PageState("suivi, attestation possible", f"/suivi/{accepted}", open_tracking(live_server.url, accepted)),
    ]
    violations += audit(browser, live_server.url, citizen)
    browser.delete_all_cookies()
    assert not violations, report(violations, len(back_office) + len(citizen))


def test_letters_and_alerts_pages_are_valid_html(app, make_staff):
    from a11y.html_check import check_pages, checker_available
    from a11y.html_check import report as html_report
    from tests.conftest import require
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    client, refused, letter_id, accepted = decided_with_letter(app, make_staff)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/gestion/mes-alertes")
                      .get_data(as_text=True)).group(1)
    person = citizen_for(app, refused)
    pages = {
        "demande refusée, courriers": client.get(f"/gestion/demandes/{refused}"),
        "courrier de refus": client.get(f"/gestion/demandes/{refused}/courriers/{letter_id}"),
        "acceptation implicite": client.get(f"/gestion/demandes/{accepted}"),
        "mes alertes": client.get("/gestion/mes-alertes"),
        "mes alertes, erreur": client.post("/gestion/mes-alertes", data={"csrf_token": token}),
        "suivi, courriers": person.get(f"/suivi/{refused}"),
        "suivi, lettre": person.get(f"/suivi/{refused}/courriers/{letter_id}"),
        "suivi, attestation possible": citizen_for(app, accepted).get(f"/suivi/{accepted}"),
    }
    pages["enregistrer une demande"] = client.get("/gestion/guichet")
    pages["enregistrer une demande, erreurs"] = client.post("/gestion/guichet", data={"csrf_token": token})
    client.post("/gestion/guichet", data={"csrf_token": token, "demarche": "demande-acte-etat-civil", "canal": "code"})
    pages["code de reprise"] = client.get("/gestion/guichet/code")
    assert pages["mes alertes, erreur"].status_code == 400 and "gros-code" in pages["code de reprise"].get_data(
        as_text=True)
    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    errors = check_pages(html)
    assert not errors, html_report(errors, len(html))
