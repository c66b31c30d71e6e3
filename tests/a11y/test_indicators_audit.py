"""axe-core and the HTML checker on the indicators: the satisfaction questionnaire (empty, in error, sent)
and the back office's dashboard, Observatoire table and satisfaction card, at 360 and 1280 px."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from a11y.audit import PageState, audit, report
from tests.a11y.gestion_helpers import sign_browser_in, sign_browser_out, staff_member


def a_card(app) -> str:
    from guichet import db
    from guichet.indicators import satisfaction
    with app.app_context():
        card = satisfaction.new_invite(db.session(), "guichet", "inscription-cantine")
        db.session().commit()
        return card.code


def demo_data(app) -> None:
    from guichet import db
    from guichet.demarches.catalogue import catalogue
    from guichet.indicators import demo
    with app.app_context():
        demo.ensure_demo_indicators(db.session(), catalogue().all())
        db.session().commit()


def _wait(driver, selector: str) -> None:
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector)))


def send_empty(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, ".questionnaire button[type=submit]").click()
    _wait(driver, ".resume-erreurs")


def send_answer(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "label[for=satisfaction-rating-2]").click()
    driver.find_element(By.CSS_SELECTOR, ".questionnaire button[type=submit]").click()
    _wait(driver, ".encart--succes")


def test_the_questionnaire_has_no_axe_violation(app, live_server, browser):
    states = [PageState("questionnaire d'une carte", f"/avis/{a_card(app)}"),
              PageState("questionnaire en erreur", f"/avis/{a_card(app)}", send_empty),
              PageState("questionnaire envoyé", f"/avis/{a_card(app)}", send_answer),
              PageState("code de carte inconnu", "/avis/AAAAAAAA")]
    violations = audit(browser, live_server.url, states)
    assert not violations, report(violations, len(states))


GESTION_STATES = [
    ("indicateurs", "/gestion/indicateurs/?demarche=inscription-cantine"),
    ("indicateurs, période vide", "/gestion/indicateurs/?depuis=2001-01-01&jusqu_au=2001-01-31"),
    ("indicateurs, en erreur", "/gestion/indicateurs/?depuis=2026-13-45"),
    ("nouvelle carte d'avis", "/gestion/indicateurs/carte-avis"),
]


def test_the_dashboard_and_the_card_have_no_axe_violation(app, live_server, browser):
    demo_data(app)
    member = staff_member(app, "audit.indicateurs@admiville.test", ("superviseur", "etat-civil"))
    states = [PageState(name, path) for name, path in GESTION_STATES]
    states.append(PageState("carte d'avis à imprimer", f"/gestion/indicateurs/carte-avis/{a_card(app)}"))
    sign_browser_in(app, browser, live_server.url, member)
    try:
        violations = audit(browser, live_server.url, states)
    finally:
        sign_browser_out(browser)
    assert not violations, report(violations, len(states))


def test_the_indicator_pages_are_valid_html(app):
    import re

    from a11y.html_check import check_pages, checker_available
    from a11y.html_check import report as html_report
    from guichet import db
    from guichet.staff.models import StaffMember
    from tests.conftest import require
    from tests.gestion.conftest import open_session
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    demo_data(app)
    member_id = staff_member(app, "html.indicateurs@admiville.test", ("superviseur", "etat-civil"))
    client = app.test_client()
    with app.app_context():
        open_session(app, client, db.session().get(StaffMember, member_id))
    pages = {path: client.get(path).get_data(as_text=True) for _name, path in GESTION_STATES}
    card = a_card(app)
    pages["carte à imprimer"] = client.get(f"/gestion/indicateurs/carte-avis/{card}").get_data(as_text=True)
    staff_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', pages["/gestion/indicateurs/carte-avis"]).group(1)
    pages["carte en erreur"] = client.post("/gestion/indicateurs/carte-avis", data={
        "csrf_token": staff_token, "canal": "pigeon"}).get_data(as_text=True)
    citizen = app.test_client()
    form = citizen.get(f"/avis/{card}").get_data(as_text=True)
    pages["questionnaire"] = form
    token = re.search(r'name="satisfaction-csrf_token"[^>]*value="([^"]+)"', form).group(1)
    pages["questionnaire en erreur"] = citizen.post(f"/avis/{card}", data={
        "satisfaction-csrf_token": token, "satisfaction-helpers": ["personne", "proche"]}).get_data(as_text=True)
    errors = check_pages(pages)
    assert not errors, html_report(errors, len(pages))
