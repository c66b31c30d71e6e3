"""Acting for someone else, practice mode and the help points read and work in a text browser (w3m), JS off."""
import shutil

from a11y.walker import STEP_RE, submit, token_of, walk_to_check
from guichet.demarches import flow, intermediary, wording
from guichet.demarches.catalogue import catalogue
from tests.a11y.test_journeys import _w3m
from tests.conftest import require


def test_a_helper_reads_every_step_about_the_person_in_w3m(app):
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    with app.app_context():
        demarche = catalogue().get("changement-adresse")
    client = app.test_client()
    shown = []

    def on_page(path, response):
        page = next(page for page in flow.all_pages(demarche) if page.id == STEP_RE.search(path).group(1))
        worded = wording.for_someone_else(page) if page.id != intermediary.FOR_WHOM else page
        text = _w3m(response.get_data(as_text=True))
        heading = " ".join((worded.title or worded.questions[0].label).split())
        assert heading in text, f"{path}: « {heading} » not readable as text"
        shown.append(page.id)

    check_html = walk_to_check(client, demarche, on_page=on_page, choices={
        intermediary.FOR_WHOM: intermediary.SOMEONE_ELSE, "identite_destinataire": "aidant"})
    assert {intermediary.ROLE, intermediary.AGREEMENT, intermediary.HELPER_EMAIL} <= set(shown)
    assert "La personne qui aide" in _w3m(check_html)
    receipt = _w3m(client.get(submit(client, demarche, check_html).headers["Location"]).get_data(as_text=True))
    assert "Une autre personne a fait cette démarche" in receipt and "Un proche" in receipt


def test_practice_and_help_points_read_as_plain_text(app):
    require(bool(shutil.which("w3m")), "the w3m text browser (Debian package w3m)")
    client = app.test_client()
    start = client.get("/demarches/changement-adresse").get_data(as_text=True)
    assert "M'entraîner, sans rien envoyer" in _w3m(start) and "Vous n'avez pas d'adresse e-mail ?" in _w3m(start)
    begun = client.post("/demarches/changement-adresse/commencer",
                        data={"csrf_token": token_of(start), "mode": "entrainement"})
    assert "Entraînement — rien n'est envoyé" in _w3m(client.get(begun.headers["Location"]).get_data(as_text=True))
    places = _w3m(client.get("/aide/lieux?code_postal=99110").get_data(as_text=True))
    assert places.index("Belleville-sur-Admi") < places.index("Médiathèque") and "Voir les lieux les plus proches" in places
