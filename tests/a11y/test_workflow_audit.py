"""axe-core on the workflow's pages and states, at 360 and 1280 px: the missing-documents form (with the
legal panel), a refused action (with the actions partial), and the citizen's documents page."""
import tempfile
from datetime import date, timedelta
from pathlib import Path

from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from a11y.audit import PageState, audit, report
from a11y.walker import small_png
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member
from tests.gestion.conftest import make_staff  # noqa: F401 (fixture)
from tests.requests.helpers import SECRET, make_request


def settled(driver, condition) -> None:
    """Wait for the next page on a slow machine: a page being replaced may answer with stale nodes meanwhile."""
    WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException, JavascriptException)).until(condition)


def submit_first_form(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def post_action(action: str):
    """Post an action's form the way its button would, from any back-office page (for its error state)."""
    def prepare(driver) -> None:
        token = driver.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
        driver.execute_script(
            "const form = document.createElement('form'); form.method = 'post'; form.action = arguments[0];"
            "for (const [name, value] of arguments[1]) { const input = document.createElement('input');"
            " input.type = 'hidden'; input.name = name; input.value = value; form.append(input); }"
            "document.body.append(form); form.submit();",
            f"{driver.current_url.rsplit('/pieces', 1)[0]}/actions/{action}",
            [[f"{action}-csrf_token", token], [f"{action}-note", ""]])
        settled(driver, lambda current: current.find_elements(By.CSS_SELECTOR, ".resume-erreurs"))
    return prepare


def test_workflow_back_office_pages_have_no_axe_violation(app, live_server, browser):
    member = staff_member(app, "audit.workflow@admiville.test", ("agent", "voirie"))
    waiting = make_request(app, "occupation-domaine-public", status="en_instruction")
    decided = make_request(app, "occupation-domaine-public", status="acceptee")
    sign_browser_in(app, browser, live_server.url, member)
    states = [
        PageState("pièces manquantes, formulaire", f"/gestion/demandes/{waiting}/pieces"),
        PageState("pièces manquantes, erreurs", f"/gestion/demandes/{waiting}/pieces", submit_first_form),
        PageState("action sans la note obligatoire", f"/gestion/demandes/{waiting}/pieces", post_action("refuser")),
        PageState("action refusée, demande terminée", f"/gestion/demandes/{decided}/pieces", post_action("instruire")),
        PageState("pièces impossibles, demande terminée", f"/gestion/demandes/{decided}/pieces"),
    ]
    try:
        violations = audit(browser, live_server.url, states)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states))


def open_tracking(base_url: str, reference: str):
    def prepare(driver) -> None:
        driver.delete_all_cookies()
        driver.get(base_url + "/suivi")
        driver.find_element(By.ID, "reference").send_keys(reference)
        driver.find_element(By.ID, "secret").send_keys(SECRET)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        settled(driver, lambda current: f"/suivi/{reference}" in current.current_url)
    return prepare


def test_citizen_documents_pages_have_no_axe_violation(app, live_server, browser, make_staff):
    from tests.gestion.conftest import open_session
    from tests.gestion.test_workflow_views import ask
    agent = make_staff(("agent", "etat-civil"))
    reference = make_request(app, "demande-acte-etat-civil", status="en_instruction")
    client = app.test_client()
    open_session(app, client, agent)
    ask(client, reference, items=["liste-4"], other="Un justificatif de domicile",
        deadline=(date.today() + timedelta(days=15)).isoformat())
    folder = Path(tempfile.mkdtemp())
    (folder / "photo.png").write_bytes(small_png())
    (folder / "texte.txt").write_text("pas un document")

    def opened(then=None):
        def prepare(driver) -> None:
            open_tracking(live_server.url, reference)(driver)
            driver.get(f"{live_server.url}/suivi/{reference}/pieces")
            if then:
                then(driver)
        return prepare

    def upload(name: str, expected: str):
        def send(driver) -> None:
            driver.find_element(By.CSS_SELECTOR, "main input[type=file]").send_keys(str(folder / name))
            submit_first_form(driver)
            settled(driver, lambda current: expected in current.page_source)
        return send

    states = [
        PageState("suivi, documents demandés", f"/suivi/{reference}", open_tracking(live_server.url, reference)),
        PageState("documents à envoyer", "/suivi", opened()),
        PageState("documents, fichier refusé", "/suivi", opened(upload("texte.txt", "resume-erreurs"))),
        PageState("documents, un document reçu", "/suivi", opened(upload("photo.png", "Document reçu"))),
    ]
    violations = audit(browser, live_server.url, states)
    browser.delete_all_cookies()
    assert not violations, report(violations, len(states))


def test_workflow_pages_are_valid_html(app, make_staff):
    import io

    from a11y.html_check import check_pages, checker_available
    from a11y.html_check import report as html_report
    from a11y.walker import token_of
    from tests.conftest import require
    from tests.gestion.conftest import open_session
    from tests.gestion.test_workflow_views import act, ask
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    agent = make_staff(("agent", "etat-civil"))
    client = app.test_client()
    open_session(app, client, agent)
    reference = make_request(app, "demande-acte-etat-civil", status="en_instruction")
    decided = make_request(app, "demande-acte-etat-civil", status="refusee")
    pages = {
        "pièces, formulaire": client.get(f"/gestion/demandes/{reference}/pieces"),
        "pièces, erreurs": ask(client, reference),
        "note obligatoire": act(client, reference, "refuser"),
        "action refusée": act(client, decided, "instruire"),
    }
    ask(client, reference, items=["liste-4"], deadline=(date.today() + timedelta(days=15)).isoformat())
    person = app.test_client()
    lookup = person.get("/suivi").get_data(as_text=True)
    person.post("/suivi", data={"csrf_token": token_of(lookup), "reference": reference, "secret": SECRET})
    pages["suivi, documents demandés"] = person.get(f"/suivi/{reference}")
    pages["documents à envoyer"] = person.get(f"/suivi/{reference}/pieces")
    documents = pages["documents à envoyer"].get_data(as_text=True)
    pages["documents, fichier refusé"] = person.post(
        f"/suivi/{reference}/pieces/1-liste-4", content_type="multipart/form-data",
        data={"piece-1-liste-4-csrf_token": token_of(documents),
              "piece-1-liste-4-document": (io.BytesIO(b"texte"), "texte.txt")})
    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    errors = check_pages(html)
    assert not errors, html_report(errors, len(html))
