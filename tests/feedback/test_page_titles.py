"""page_title: the path of a reported page becomes its title; private pages are named but not linked."""
import pytest

from guichet.feedback.page_titles import SiteTitles, page_title
from guichet.demarches.catalogue import catalogue


@pytest.fixture
def titles(app):
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    return SiteTitles(fiches={"pacs": "Se pacser"}, events={"demenagement": "Je déménage"},
                      glossary={"caf": "CAF"}, demarches={demarche.slug: demarche})


DEMARCHE = "Déclarer votre changement d'adresse à la mairie"
CASES = [
    ("/", "Accueil", "/"),
    ("/aide", "Besoin d'aide ?", "/aide"),
    ("/aide/", "Besoin d'aide ?", "/aide"),
    ("/signalements/suivi-public", "Vos signalements et nos réponses", "/signalements/suivi-public"),
    ("/fiches/pacs", "Se pacser", "/fiches/pacs"),
    ("/evenements/demenagement", "Je déménage", "/evenements/demenagement"),
    ("/glossaire/caf", "CAF", "/glossaire/caf"),
    ("/demarches/changement-adresse", DEMARCHE, "/demarches/changement-adresse"),
    ("/demarches/changement-adresse/etape/personnes",
     f"{DEMARCHE} – Combien de personnes déménagent avec vous ?", None),
    ("/demarches/changement-adresse/etape/identite_nom", f"{DEMARCHE} – Votre nom", None),
    ("/demarches/changement-adresse/verifier", f"{DEMARCHE} – Vérifiez vos réponses", None),
    ("/demarches/changement-adresse/accuse-de-reception", f"{DEMARCHE} – Accusé de réception", None),
    ("/demarches/changement-adresse/etape/page_inventee", DEMARCHE, None),
    ("/demarches/changement-adresse/enregistrer", DEMARCHE, None),
    ("/suivi", "Suivre une demande", None),
    ("/suivi/ADM-2026-000123", "Suivre une demande", None),
    ("/fiches/inconnue", "Une autre page du site", None),
    ("/demarches/inconnue/etape/x", "Une autre page du site", None),
    ("/n-importe-quoi", "Une autre page du site", None),
    ("", "Accueil", "/"),
]


@pytest.mark.parametrize("path, text, link", CASES)
def test_page_title(app, titles, path, text, link):
    with app.test_request_context():
        title = page_title(path, titles)
    assert (title.text, title.link) == (text, link)


def test_a_tracking_reference_never_appears(app, titles):
    with app.test_request_context():
        assert "ADM" not in page_title("/suivi/ADM-2026-000123", titles).text
