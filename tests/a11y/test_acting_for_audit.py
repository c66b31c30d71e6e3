"""axe-core on the pages of issue 10 in this branch: acting for someone else (every helper page, empty and in
error, the questions about the person, the check page, the receipt at a help point, tracking), practice mode
and the help points page, at 360 and 1280 px."""
import re

from selenium.webdriver.common.by import By

from a11y.audit import report, run_axe
from a11y.walker import STEP_RE, page_data, token_of
from guichet.demarches import flow, intermediary
from guichet.demarches.catalogue import catalogue
from tests.a11y.test_demarches_audit import path_of, press, share_draft

SLUG = "signaler-probleme-voie-publique"
GUARDIAN_AT_A_HELP_POINT = {intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE, intermediary.ROLE: intermediary.GUARDIAN,
                            "identite_destinataire": "lieu"}


def test_acting_for_someone_practice_and_help_points_have_no_axe_violation(app, live_server, browser):
    with app.app_context():
        demarche = catalogue().get(SLUG)
    client = app.test_client()
    violations, audited = [], 0

    def check(state: str) -> None:
        nonlocal violations, audited
        violations += run_axe(browser, path_of(browser.current_url), state)
        audited += 1

    browser.delete_all_cookies()
    for query, state in (("", "lieux d'aide"), ("?code_postal=99110", "lieux triés"), ("?code_postal=12", "erreur")):
        browser.get(f"{live_server.url}/aide/lieux{query}")
        check(state)
    browser.get(f"{live_server.url}/demarches/{SLUG}?poste=accueil")
    press(browser, "main form button[type=submit]")
    for _ in range(40):
        path = path_of(browser.current_url)
        if path.endswith("/verifier"):
            break
        page = next(page for page in flow.all_pages(demarche) if page.id == STEP_RE.search(path).group(1))
        check("pour une autre personne")
        if page.id in (intermediary.AGREEMENT, intermediary.MANDATE, intermediary.HELPER):
            press(browser, "#etape-formulaire button[value=continuer]")
            check("pour une autre personne, erreurs")
        share_draft(browser, client, SLUG)
        token = token_of(client.get(path).get_data(as_text=True))
        response = client.post(path, data=page_data(page, token, choices=GUARDIAN_AT_A_HELP_POINT),
                               content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        browser.get(live_server.url + path_of(response.headers["Location"]))
    assert "La personne qui aide" in browser.page_source
    check("vérifier, pour une autre personne")
    browser.find_element(By.CSS_SELECTOR, "label[for=declaration]").click()
    press(browser, "main form[action$='/verifier'] button[type=submit]")
    assert "Effacer et quitter" in browser.page_source and "Une autre personne a fait cette démarche" in browser.page_source
    check("accusé de réception, poste d'accueil, pour une autre personne")
    html = browser.page_source
    reference = re.search(r"ADM-\d{4}-\d{6}", html).group(0)
    secret = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", html.split("Code de suivi")[1]).group(0)
    browser.get(live_server.url + "/suivi")
    browser.find_element(By.ID, "reference").send_keys(reference)
    browser.find_element(By.ID, "secret").send_keys(secret)
    press(browser, "main form button[type=submit]")
    check("suivi, pour une autre personne")
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/demarches/{SLUG}")
    press(browser, "main form button[value=entrainement]")
    assert "Entraînement — rien n" in browser.page_source
    check("entraînement")
    browser.get(f"{live_server.url}/demarches/{SLUG}/entrainement-fini")
    check("entraînement fini")
    print(report(violations, audited))
    assert audited >= 20 and not violations, report(violations, audited)
