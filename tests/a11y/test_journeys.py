"""Journeys a person makes with the keyboard only, with JS off, and in a text browser."""
import re
import shutil
import subprocess
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from a11y.browser import start_chromium
from guichet import db
from guichet.feedback.models import Report
from tests.a11y.test_audit import wait_for
from tests.a11y.test_demarches_audit import press, start_for_myself
from tests.conftest import as_read, require


def active(driver):
    return driver.switch_to.active_element


def tab_until(driver, predicate, limit: int = 250):
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if predicate(active(driver)):
            return active(driver)
    raise AssertionError("the element was never reached with the Tab key")


def reports(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Report))


def test_difficulty_widget_works_with_the_keyboard_only(app, live_server, browser):
    browser.get(live_server.url + "/fiches/pacs")
    first = tab_until(browser, lambda element: True)
    assert first.get_attribute("href").endswith("#contenu"), "the skip link must come first"
    summary = tab_until(browser, lambda element: element.tag_name == "summary")
    style = browser.execute_script("const s = getComputedStyle(arguments[0]); return s.outlineStyle + '|' + "
                                   "s.boxShadow + '|' + s.backgroundColor", summary)
    assert "none|none" not in style, f"focus is not visible: {style}"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    tab_until(browser, lambda element: element.get_attribute("type") == "radio")
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    before = reports(app)
    button = tab_until(browser, lambda element: element.tag_name == "button")
    assert button.text == "Envoyer le signalement"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_for(browser, "#signalement-zone .encart--succes")
    assert "Merci" in browser.find_element(By.ID, "signalement-annonce").get_attribute("textContent")
    assert reports(app) == before + 1


def focused_on_summary(driver) -> None:
    """The page's script moves the focus once the summary is there: on a slow machine, a moment later."""
    WebDriverWait(driver, 10).until(lambda current: active(current).get_attribute("id") == "resume-erreurs")


def test_after_an_error_focus_lands_on_the_error_summary(live_server, browser):
    browser.get(live_server.url + "/fiches/pacs")
    browser.find_element(By.CSS_SELECTOR, "#signaler-depliant summary").click()
    browser.find_element(By.CSS_SELECTOR, ".signaler button[type=submit]").click()
    wait_for(browser, "#signalement-zone .resume-erreurs")
    focused_on_summary(browser)
    browser.get(live_server.url + "/demarches/changement-adresse")
    start_for_myself(browser)
    press(browser, "#etape-formulaire button[value=continuer]")
    focused_on_summary(browser)
    assert as_read(browser.title).startswith("Erreur :")
    link = browser.find_element(By.CSS_SELECTOR, "#resume-erreurs a")
    link.click()
    assert active(browser).get_attribute("id") == link.get_attribute("href").split("#")[1]


@pytest.fixture(scope="module")
def browser_without_js():
    from a11y.browser import chromium_available
    require(chromium_available(), "Chromium and ChromeDriver")
    driver = start_chromium(javascript=False)
    yield driver
    driver.quit()


def test_widget_and_a_demarche_step_work_with_js_off(app, live_server, browser_without_js):
    driver = browser_without_js
    driver.get(live_server.url + "/demarches/changement-adresse")
    start_for_myself(driver)
    driver.find_element(By.ID, "nouvelle_adresse").send_keys("5 rue du Moulin")
    driver.find_element(By.CSS_SELECTOR, "#signaler-depliant summary").click()
    driver.find_element(By.CSS_SELECTOR, "label[for=signalement-category]").click()
    before = reports(app)
    press(driver, ".signaler button[type=submit]")
    assert reports(app) == before + 1
    assert "Merci, votre signalement est envoyé" in driver.page_source
    assert driver.find_element(By.ID, "nouvelle_adresse").get_attribute("value") == "5 rue du Moulin"
    driver.find_element(By.ID, "nouvelle_adresse-code_postal").send_keys("99100")
    driver.find_element(By.ID, "nouvelle_adresse-commune").send_keys("Admiville")
    press(driver, "#etape-formulaire button[value=continuer]")
    assert "/etape/date_demenagement" in driver.current_url
    driver.back()
    assert driver.find_element(By.ID, "nouvelle_adresse").get_attribute("value") == "5 rue du Moulin"


def test_pages_read_well_in_a_text_browser(live_server):
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    for path, expected in [("/", "Ce qui vous arrive"), ("/fiches/pacs", "Ce que vous devez faire"),
                           ("/demarches/changement-adresse", "Commencer la démarche"), ("/aide", "01 99 00 10 00")]:
        text = as_read(subprocess.run(["w3m", "-dump", "-cols", "80", live_server.url + path], capture_output=True,
                                      text=True, timeout=30, check=True).stdout)
        assert expected in text, path
        assert "Signaler une difficulté" in text, path


def _w3m_dump(url: str, *headers: str) -> str:
    """w3m fetching the page itself (with its own User-Agent), as plain text."""
    options = [option for header in headers for option in ("-header", header)]
    return as_read(subprocess.run(["w3m", "-dump", "-cols", "80", *options, url], capture_output=True,
                                  text=True, timeout=30, check=True).stdout)


def test_a_text_browser_gets_a_short_report_link_or_button_never_the_form_and_its_trap(app, live_server):
    """w3m shows every form in full: a fiche shows a link to the report page, a démarche step a button of its
    own form (which keeps what was typed); the report page itself is the form, without any trap field."""
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    from a11y.walker import start
    from guichet.demarches.catalogue import catalogue
    fiche = _w3m_dump(live_server.url + "/fiches/pacs")
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    client = app.test_client()
    step_path = start(client, demarche).headers["Location"].split("localhost")[-1]
    cookie = f"Cookie: brouillon-{demarche.slug}={client.get_cookie(f'brouillon-{demarche.slug}').value}"
    step = _w3m_dump(live_server.url + step_path, cookie)
    assert "Quelle est votre nouvelle adresse ?" in step
    buttons = step.split("Commune [")[1].split("Vos réponses")[0]
    assert "Continuer Enregistrer et reprendre plus tard Signaler une difficulté" in " ".join(buttons.split()), \
        "a button of the step form"
    for text in (fiche, step):
        assert "Ne remplissez pas" not in text and "Quelle difficulté rencontrez-vous" not in text
        assert "Décrivez la difficulté" not in text
    assert "Signaler une difficulté" in fiche.split("Ce que vous devez faire")[1]
    link = re.search(r'href="(/signalements/nouveau\?page=[^"]+)"',
                     requests_get(live_server.url + "/fiches/pacs", {"User-Agent": "w3m/0.5.3"}))
    assert link and link.group(1) == "/signalements/nouveau?page=/fiches/pacs"
    page = _w3m_dump(live_server.url + link.group(1))
    assert "Quelle difficulté rencontrez-vous" in page and "Envoyer le signalement" in page
    assert "Ne remplissez pas" not in page and "Revenir à la page sans envoyer" in page


def requests_get(url: str, headers: dict) -> str:
    from urllib.request import Request, urlopen
    with urlopen(Request(url, headers=headers), timeout=30) as response:
        return response.read().decode()


def _keyboard_values(demarche, path: str) -> dict[str, str]:
    from a11y.walker import STEP_RE, valid_answer
    from guichet.demarches import flow
    page_id = STEP_RE.search(path).group(1)
    page = next(page for page in flow.all_pages(demarche) if page.id == page_id)
    values = {}
    for question in [question for shown in [page, *flow.follow_ups(demarche, page)] for question in shown.questions]:
        values.update({name: value for name, value in valid_answer(question).items() if isinstance(value, str)})
    return values


def _fill_step_with_keyboard(driver, values: dict[str, str]) -> None:
    """Tab into the form, answer each field from the keyboard, then press Enter on "Continuer"."""
    tab_until(driver, lambda element: element.get_attribute("form") is None and element.tag_name in (
        "input", "textarea", "select") and element.get_attribute("type") != "hidden"
        and element.find_elements(By.XPATH, "ancestor::form[@id='etape-formulaire']"))
    for _ in range(40):
        element = active(driver)
        kind, name = element.get_attribute("type"), element.get_attribute("name")
        if element.tag_name == "button":
            assert element.get_attribute("value") == "continuer"
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            return
        if kind in ("radio", "checkbox"):
            ActionChains(driver).send_keys(Keys.SPACE).perform()
            time.sleep(0.5)  # with htmx, an answer may reveal the next question in place
        elif element.tag_name == "select":
            ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
        elif kind != "file" and values.get(name):
            ActionChains(driver).send_keys(values[name]).perform()
        ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError("never reached the Continuer button")


@pytest.mark.parametrize("slug", ["changement-adresse", "inscription-cantine"])
def test_a_demarche_can_be_completed_with_the_keyboard_only(app, live_server, browser, slug):
    from guichet.demarches.catalogue import catalogue
    from tests.a11y.test_demarches_audit import path_of
    with app.app_context():
        demarche = catalogue().get(slug)
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/demarches/{slug}")
    tab_until(browser, lambda element: element.text == "Commencer la démarche")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    for _ in range(40):
        WebDriverWait(browser, 10).until(lambda driver: driver.execute_script("return document.readyState") == "complete")
        path = path_of(browser.current_url)
        if path.endswith("/verifier"):
            break
        if "/groupe/" in path:
            tab_until(browser, lambda element: element.tag_name == "button" and element.text == "Continuer")
            ActionChains(browser).send_keys(Keys.ENTER).perform()
        else:
            before = browser.current_url
            _fill_step_with_keyboard(browser, _keyboard_values(demarche, path))
            WebDriverWait(browser, 10).until(lambda driver: driver.current_url != before or "Erreur" in driver.title)
            assert not browser.title.startswith("Erreur"), f"{path}: {browser.find_element(By.ID, 'resume-erreurs').text}"
    tab_until(browser, lambda element: element.get_attribute("name") == "declaration")
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    tab_until(browser, lambda element: element.text == "Envoyer ma demande")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    WebDriverWait(browser, 10).until(lambda driver: "/accuse-de-reception" in driver.current_url)
    assert "Votre demande est envoyée" in browser.page_source


def _w3m(html: str) -> str:
    """What a text browser shows of a page: w3m renders the HTML we served, as plain text."""
    text = subprocess.run(["w3m", "-dump", "-T", "text/html", "-cols", "80", "-I", "UTF-8", "-O", "UTF-8"],
                          input=html, capture_output=True, text=True, timeout=30, check=True).stdout
    return " ".join(text.split())


@pytest.mark.parametrize("slug", ["signaler-probleme-voie-publique", "demande-acte-etat-civil", "inscription-cantine",
                                  "changement-adresse", "occupation-domaine-public", "ecrire"])
def test_every_step_of_a_demarche_reads_and_works_as_plain_text(app, slug):
    """Each step, rendered by w3m, shows its question and a submit button; the walk itself uses no JS."""
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    from a11y.walker import STEP_RE, submit, walk_to_check
    from guichet.demarches import flow
    from guichet.demarches.catalogue import catalogue
    with app.app_context():
        demarche = catalogue().get(slug)
    client = app.test_client()
    shown = []

    def on_page(path, response):
        page_id = STEP_RE.search(path).group(1)
        page = next(page for page in flow.all_pages(demarche) if page.id == page_id)
        text = _w3m(response.get_data(as_text=True))
        heading = " ".join((page.title or page.questions[0].label).split())
        assert heading in text, f"{path}: « {heading} » not readable as text"
        assert "[Continuer]" in text or "Continuer" in text, path
        assert "Signaler une difficulté" in text, path
        shown.append(path)

    check_html = walk_to_check(client, demarche, on_page=on_page)
    assert "Vérifiez vos réponses" in _w3m(check_html)
    receipt = client.get(submit(client, demarche, check_html).headers["Location"]).get_data(as_text=True)
    assert "Votre demande est envoyée" in _w3m(receipt)
    assert len(shown) >= len(demarche.pages)


def _enter_and_wait(driver, element) -> None:
    """Press Enter in a field and wait for the page that the submission brings."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 15).until(lambda _driver: not _still_there(old_page))


def _still_there(element) -> bool:
    from selenium.common.exceptions import WebDriverException
    try:
        element.is_enabled()
    except WebDriverException:
        return False
    return True


def _step_answers(app, driver) -> dict:
    from guichet.demarches.models import Draft
    with app.app_context():
        return dict(db.session().get(Draft, driver.get_cookie("brouillon-changement-adresse")["value"]).answers)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_enter_in_a_report_field_sends_the_report_never_the_step(app, live_server, request, javascript):
    driver = request.getfixturevalue("browser" if javascript else "browser_without_js")
    driver.delete_all_cookies()
    driver.get(live_server.url + "/demarches/changement-adresse")
    start_for_myself(driver)
    step_url = driver.current_url
    for field in ("signalement-category", "signalement-email"):
        driver.get(step_url)
        driver.find_element(By.ID, "nouvelle_adresse").clear()
        driver.find_element(By.ID, "nouvelle_adresse").send_keys("5 rue du Moulin")
        driver.find_element(By.CSS_SELECTOR, "#signaler-depliant summary").click()
        driver.find_element(By.CSS_SELECTOR, "label[for=signalement-category]").click()
        if field == "signalement-email":
            driver.find_element(By.CSS_SELECTOR, "label[for=signalement-recontact]").click()
            driver.find_element(By.ID, field).send_keys("lea@exemple.fr")
        before = reports(app)
        _enter_and_wait(driver, driver.find_element(By.ID, field))
        assert driver.current_url.split("#")[0] == step_url, f"Enter in {field} left the step"
        assert reports(app) == before + 1, f"Enter in {field} did not send the report"
        assert "Merci, votre signalement est envoyé" in driver.page_source
        assert driver.find_element(By.ID, "nouvelle_adresse").get_attribute("value") == "5 rue du Moulin"
        assert "nouvelle_adresse" not in _step_answers(app, driver), "the step was submitted"


def test_typing_counts_as_activity_on_a_shared_computer(app, live_server, browser):
    """With JS, typing sends a light keep-alive (at most once a minute): the idle clock starts again."""
    from datetime import timedelta
    from guichet.db import utcnow
    from guichet.demarches.models import Draft
    browser.delete_all_cookies()
    browser.get(live_server.url + "/demarches/changement-adresse")
    browser.find_element(By.CSS_SELECTOR, "label[for=shared]").click()
    start_for_myself(browser)
    draft_id = browser.get_cookie("brouillon-changement-adresse")["value"]
    long_ago = utcnow() - timedelta(minutes=app.config["DRAFT_IDLE_MINUTES"] - 2)
    with app.app_context():
        db.session().get(Draft, draft_id).last_seen_at = long_ago
        db.session().commit()
    shown = browser.find_element(By.ID, "delai-heure")
    browser.find_element(By.ID, "nouvelle_adresse").send_keys("5")

    def seen_again(_driver) -> bool:
        with app.app_context():
            seen = db.session().get(Draft, draft_id).last_seen_at
        return seen.replace(tzinfo=None) > long_ago.replace(tzinfo=None) + timedelta(minutes=1)

    WebDriverWait(browser, 10).until(seen_again)
    WebDriverWait(browser, 5).until(lambda _driver: not _still_there(shown)), "the stated time is updated in place"


def test_erase_confirmation_and_expiry_read_as_plain_text(app):
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    from a11y.walker import start
    from guichet.demarches.catalogue import catalogue
    client = app.test_client()
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    assert "[ ] Je suis sur un ordinateur partagé" in _w3m(client.get("/demarches/changement-adresse").get_data(
        as_text=True))
    start(client, demarche)
    text = _w3m(client.get("/demarches/changement-adresse/effacer").get_data(as_text=True))
    assert "Voulez-vous vraiment effacer vos réponses ?" in text
    assert "Oui, effacer mes réponses" in text and "Non, revenir à ma démarche" in text
    text = _w3m(client.get("/demarches/changement-adresse/expire?raison=partage").get_data(as_text=True))
    assert "Votre démarche est fermée sur cet ordinateur" in text and "Recommencer la démarche" in text
