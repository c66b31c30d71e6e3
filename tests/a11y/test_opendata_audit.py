"""axe-core at 360 and 1280 px, and the Nu HTML Checker, on the statistics and open-data pages with figures
(bars, withheld months, tables), in French and in English."""
import pytest

from a11y.audit import PageState, audit, report, run_axe
from tests.conftest import LiveServer, require
from tests.opendata.helpers import fresh_app, seed_last_month

PATHS = ["/statistiques", "/statistiques/demande-acte-etat-civil", "/statistiques/changement-adresse", "/donnees"]


@pytest.fixture(scope="module")
def stats_app(tmp_path_factory):
    app = fresh_app(tmp_path_factory)
    seed_last_month(app)
    return app


def test_statistics_and_open_data_have_no_axe_violation(stats_app, browser):
    states = [PageState("page", path) for path in PATHS]
    with LiveServer(stats_app) as server:
        violations = audit(browser, server.url, states)
        browser.get(server.url + "/langue/en?suivant=/")
        for path in PATHS:
            browser.get(server.url + path)
            violations += run_axe(browser, path, "english")
        browser.get(server.url + "/langue/fr?suivant=/")
    assert not violations, report(violations, 2 * len(PATHS))


def test_statistics_and_open_data_are_valid_html(stats_app):
    from a11y.html_check import check_pages, checker_available
    from a11y.html_check import report as html_report
    require(checker_available(), "Java and vnu.jar (Debian package default-jre-headless, then npm ci)")
    client = stats_app.test_client()
    pages = {path: client.get(path).get_data(as_text=True) for path in PATHS}
    client.get("/langue/en?suivant=/")
    pages.update({f"{path} (english)": client.get(path).get_data(as_text=True) for path in PATHS})
    errors = check_pages(pages)
    assert not errors, html_report(errors, len(pages))
