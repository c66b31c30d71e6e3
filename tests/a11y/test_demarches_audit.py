"""axe-core on every step of every démarche, in every state a person can meet.

The browser walks each démarche; valid answers are posted by a test client that shares the
browser's draft cookie, so each step is audited empty, with errors and filled, then the check
page, the receipt, tracking, resume, save, expiry and erase pages.
"""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from a11y.audit import report, run_axe
from guichet import db
from guichet.db import utcnow
from guichet.demarches import drafts, flow, intermediary
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import Draft
from a11y.walker import STEP_RE, page_data, token_of

SLUGS = ["signaler-probleme-voie-publique", "demande-acte-etat-civil", "inscription-cantine", "changement-adresse",
         "occupation-domaine-public", "ecrire"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def press(driver, selector: str) -> None:
    """Click a submit button and wait for the next page (a plain form post, no htmx)."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()

    def replaced(_driver) -> bool:
        try:
            old_page.is_enabled()
        except WebDriverException:  # stale, or "node does not belong to the document": the page changed
            return True
        return False

    WebDriverWait(driver, 15).until(replaced)


def start_for_myself(driver) -> None:
    """Press "Commencer la démarche", then answer « Pour moi » to the first question of every démarche."""
    press(driver, "main form button[type=submit]")
    driver.find_element(By.CSS_SELECTOR, f"label[for={intermediary.FOR_WHOM}]").click()
    press(driver, "#etape-formulaire button[value=continuer]")


def share_draft(driver, client, slug: str) -> None:
    cookie = driver.get_cookie(f"brouillon-{slug}")
    assert cookie, "the browser has no draft cookie"
    client.set_cookie(f"brouillon-{slug}", cookie["value"])


@pytest.mark.parametrize("slug", SLUGS)
def test_every_step_and_state_of_a_demarche_has_no_axe_violation(app, live_server, browser, slug):
    with app.app_context():
        demarche = catalogue().get(slug)
    client = app.test_client()
    violations, audited = [], 0

    def check(state: str) -> None:
        nonlocal violations, audited
        violations += run_axe(browser, path_of(browser.current_url), state)
        audited += 1

    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/demarches/{slug}")
    press(browser, "main form button[type=submit]")
    for _ in range(60):
        path = path_of(browser.current_url)
        if path.endswith("/verifier"):
            break
        match = STEP_RE.search(path)
        assert match, f"unexpected page {path}"
        page = next(page for page in flow.all_pages(demarche) if page.id == match.group(1))
        if "/groupe/" in path:
            check("liste")
            press(browser, "main form:not(.outils-brouillon form) button.bouton:not(.bouton--lien)")
            continue
        check("vide")
        press(browser, "#etape-formulaire button[value=continuer]")
        if path_of(browser.current_url) == path:
            check("erreurs")
        share_draft(browser, client, slug)
        token = token_of(client.get(path).get_data(as_text=True))
        response = client.post(path, data=page_data(page, token), content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        browser.get(live_server.url + path)
        check("rempli")
        browser.get(live_server.url + path_of(response.headers["Location"]))
    check("vérifier")
    press(browser, "main form button[type=submit]")
    check("vérifier avec erreur")
    browser.find_element(By.CSS_SELECTOR, "label[for=declaration]").click()
    press(browser, "main form button[type=submit]")
    assert "/accuse-de-reception" in browser.current_url
    check("accusé de réception")
    html = browser.page_source
    reference = re.search(r"ADM-\d{4}-\d{6}", html).group(0)
    secret = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", html.split("Code de suivi")[1]).group(0)
    browser.get(live_server.url + "/suivi")
    press(browser, "main form button[type=submit]")
    check("suivi en erreur")
    browser.find_element(By.ID, "reference").send_keys(reference)
    browser.find_element(By.ID, "secret").send_keys(secret)
    press(browser, "main form button[type=submit]")
    assert f"/suivi/{reference}" in browser.current_url
    check("suivi")
    print(report(violations, audited))
    assert not violations, report(violations, audited)


def test_save_resume_expiry_and_erase_pages_have_no_axe_violation(app, live_server, browser):
    slug = "changement-adresse"
    violations = []
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/demarches/{slug}")
    press(browser, "main form button[type=submit]")
    press(browser, "#etape-formulaire button[value=enregistrer]")
    assert browser.current_url.endswith("/enregistrer")
    violations += run_axe(browser, "/enregistrer", "code de reprise")
    press(browser, "main form button.bouton--secondaire")
    violations += run_axe(browser, "/enregistrer", "e-mail en erreur")
    browser.get(live_server.url + "/reprendre")
    violations += run_axe(browser, "/reprendre", "vide")
    press(browser, "main form button[type=submit]")
    violations += run_axe(browser, "/reprendre", "erreur")
    for query, state in [("?code=oui&raison=partage", "ordinateur partagé, code"),
                         ("?raison=partage", "ordinateur partagé, sans code"), ("", "réponses introuvables")]:
        browser.get(live_server.url + f"/demarches/{slug}/expire{query}")
        assert "rien fait" not in browser.page_source
        violations += run_axe(browser, "/expire", f"expiré, {state}")
    browser.get(f"{live_server.url}/demarches/{slug}?poste=accueil")
    assert browser.find_element(By.ID, "shared").is_selected(), "a help point preselects the shared computer"
    violations += run_axe(browser, f"/demarches/{slug}", "poste d'accueil, ordinateur partagé coché")
    press(browser, "main form button[type=submit]")
    violations += run_axe(browser, "/etape", "ordinateur partagé")
    browser.get(f"{live_server.url}/demarches/{slug}")
    assert "Continuer là où vous en étiez" in browser.page_source
    violations += run_axe(browser, f"/demarches/{slug}", "démarche en cours")
    browser.get(f"{live_server.url}/demarches/{slug}/verifier")
    _idle_soon(app)  # after the page load, which counts as activity; the poll itself does not
    browser.execute_script("htmx.ajax('GET', document.querySelector('#alerte-delai').getAttribute('data-hx-get'), "
                           "{target: '#alerte-delai', swap: 'innerHTML'})")
    from tests.a11y.test_audit import wait_for
    wait_for(browser, "#alerte-delai [role=alertdialog]")
    assert browser.switch_to.active_element.text.strip() == "Continuer ma démarche"
    assert not browser.find_elements(By.CSS_SELECTOR, "#alerte-delai a, .dialogue [href$='/effacer']")
    violations += run_axe(browser, "/etape", "alerte de délai")
    browser.get(f"{live_server.url}/demarches/{slug}?poste=personnel")
    assert not browser.find_element(By.ID, "shared").is_selected()
    browser.get(f"{live_server.url}/demarches/{slug}/verifier")
    browser.find_element(By.CSS_SELECTOR, ".outils-brouillon a[href$='/effacer']").click()
    assert browser.current_url.endswith("/effacer")
    violations += run_axe(browser, "/effacer", "confirmation avant d'effacer")
    press(browser, "main form button.bouton--avertissement")
    assert browser.current_url.endswith("/efface")
    violations += run_axe(browser, "/efface", "effacé")
    assert not violations, report(violations, 13)


def _idle_soon(app) -> None:
    """Bring the newest draft to one minute before its idle limit."""
    with app.app_context():
        session = db.session()
        draft = session.scalars(select(Draft).order_by(Draft.created_at.desc())).first()
        draft.last_seen_at = utcnow() - timedelta(minutes=drafts.idle_minutes(draft) - 1)
        session.commit()


def test_follow_up_questions_revealed_in_place_have_no_axe_violation(live_server, browser):
    """With htmx, choosing "Oui" shows the next question under the answer; audited open and in error."""
    from tests.a11y.test_audit import wait_for
    violations = []
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/demarches/occupation-domaine-public")
    start_for_myself(browser)
    browser.find_element(By.CSS_SELECTOR, "label[for=motif]").click()
    wait_for(browser, "#suite-motif .suite__page")
    assert "s'ajoute" in browser.find_element(By.ID, "suite-annonce").get_attribute("textContent")
    violations += run_axe(browser, "/etape/motif", "question ajoutée")
    press(browser, "#etape-formulaire button[value=continuer]")
    assert browser.title.startswith("Erreur")
    violations += run_axe(browser, "/etape/motif", "question ajoutée en erreur")
    assert not violations, report(violations, 2)


def test_a_field_checks_itself_when_the_person_leaves_it(app, live_server, browser):
    """With htmx, leaving a field with a wrong value shows its French error in place; fixing it removes
    the error; nothing is saved. Audited in both states."""
    from selenium.webdriver.common.keys import Keys
    from tests.a11y.test_audit import wait_for
    from tests.conftest import as_read
    violations = []
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/demarches/changement-adresse")
    start_for_myself(browser)
    browser.find_element(By.ID, "nouvelle_adresse").send_keys("5 rue du Moulin")
    browser.find_element(By.ID, "nouvelle_adresse-commune").send_keys("Admiville")
    postcode = browser.find_element(By.ID, "nouvelle_adresse-code_postal")
    postcode.send_keys("12", Keys.TAB)
    wait_for(browser, "#nouvelle_adresse-erreurs .erreur")
    errors = browser.find_element(By.ID, "nouvelle_adresse-erreurs")
    assert "Erreur : " in as_read(errors.get_attribute("textContent")) and "5 chiffres" in errors.text
    assert browser.find_element(By.ID, "nouvelle_adresse-commune").get_attribute("value") == "Admiville"
    violations += run_axe(browser, "/etape/nouvelle_adresse", "champ vérifié en erreur")
    postcode.clear()
    postcode.send_keys("99100", Keys.TAB)
    WebDriverWait(browser, 10).until(
        lambda driver: not driver.find_elements(By.CSS_SELECTOR, "#nouvelle_adresse-erreurs .erreur"))
    assert browser.find_element(By.ID, "nouvelle_adresse-erreurs").get_attribute("aria-live") == "polite"
    violations += run_axe(browser, "/etape/nouvelle_adresse", "champ corrigé")
    with app.app_context():
        draft = db.session().get(Draft, browser.get_cookie("brouillon-changement-adresse")["value"])
        assert "nouvelle_adresse" not in draft.answers, "checking a field saves nothing"
    assert not violations, report(violations, 2)
