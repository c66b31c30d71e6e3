"""axe-core 4.x on every page of the sitemap and every state, at 360 and 1280 px: zero violations."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from a11y.audit import PageState, audit, report, run_axe, sitemap_paths
from tests.conftest import LiveServer


def wait_for(driver, selector: str):
    return WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector)))


def open_widget(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "#signaler-depliant summary").click()


def widget_error(driver) -> None:
    open_widget(driver)
    driver.find_element(By.CSS_SELECTOR, ".signaler button[type=submit]").click()
    wait_for(driver, "#signalement-zone .resume-erreurs")


def widget_sent(driver) -> None:
    open_widget(driver)
    driver.find_element(By.CSS_SELECTOR, "label[for=signalement-category]").click()
    driver.find_element(By.CSS_SELECTOR, ".signaler button[type=submit]").click()
    wait_for(driver, "#signalement-zone .encart--succes")


def test_every_page_and_state_has_no_axe_violation(live_server, browser):
    paths = sitemap_paths(live_server.url)
    assert sum(path.startswith("/fiches/") for path in paths) >= 24
    states = [PageState("page", path) for path in paths]
    states += [
        PageState("recherche avec résultats", "/recherche?q=naissance"),
        PageState("recherche sans résultat", "/recherche?q=xylophone"),
        PageState("signalement ouvert", "/fiches/pacs", open_widget),
        PageState("signalement en erreur", "/fiches/pacs", widget_error),
        PageState("signalement envoyé", "/aide", widget_sent),
        PageState("signalement, page à part (navigateurs texte)", "/signalements/nouveau?page=/fiches/pacs"),
        PageState("page introuvable", "/page-qui-n-existe-pas"),
        PageState("suivi public", "/signalements/suivi-public"),
        PageState("suivi, lien enregistré", "/suivi/ADM-2026-000001"),
    ]
    violations = audit(browser, live_server.url, states)
    english = ["/", "/recherche?q=birth", "/demarches/changement-adresse", "/glossaire/caf", "/aide", "/statistiques",
               "/donnees"]
    english += [path for path in paths if path.startswith(("/fiches/", "/evenements/"))]
    browser.get(live_server.url + "/langue/en?suivant=/")
    for path in english:
        browser.get(live_server.url + path)
        violations += run_axe(browser, path, "english")
    browser.get(live_server.url + "/langue/fr?suivant=/")
    print(report(violations, len(states) + len(english)))
    assert not violations, report(violations, len(states) + len(english))


def test_audit_catches_a_broken_page(browser):
    """The audit cannot pass vacuously: a page with known faults must be reported."""
    from flask import Flask
    broken = Flask("broken")

    @broken.get("/")
    def page():
        return ('<html><head><title>Cassée</title></head><body><img src="x.png">'
                '<input type="text"><a href="#"></a><p style="color:#ddd;background:#fff">gris</p></body></html>')

    with LiveServer(broken) as server:
        browser.get(server.url + "/")
        rules = {violation.rule for violation in run_axe(browser, "/", "cassée")}
    assert {"image-alt", "label", "html-has-lang", "link-name", "color-contrast"} <= rules


def test_structure_check_catches_missing_parts(browser):
    from flask import Flask

    from a11y.audit import structure_problems
    broken = Flask("structure")

    @broken.get("/")
    def page():
        return '<html lang="fr"><head><title>T</title></head><body><h1>Un</h1><h1>Deux</h1></body></html>'

    with LiveServer(broken) as server:
        browser.get(server.url + "/")
        problems = {violation.help for violation in structure_problems(browser, "/", "page", {})}
    assert "2 h1 elements instead of 1" in problems and "no skip link to #contenu" in problems
    assert any(problem.startswith("missing landmarks") for problem in problems)
