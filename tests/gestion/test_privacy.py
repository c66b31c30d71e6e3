"""The DPO's desk: the register of processing activities (page and CSV) and the retention preview."""
import csv
import io

import pytest

from guichet.demarches.catalogue import catalogue
from tests.gestion.conftest import open_session
from tests.privacy.helpers import add_request, months_ago


@pytest.fixture
def dpo(app, make_staff):
    client = app.test_client()
    open_session(app, client, make_staff(("dpo", None)))
    return client


@pytest.mark.parametrize("roles", [(("admin", None),), (("agent", "etat-civil"),), (("superviseur", "voirie"),)])
def test_only_the_dpo_opens_the_desk(app, make_staff, roles):
    client = app.test_client()
    open_session(app, client, make_staff(*roles))
    for path in ("/gestion/protection-des-donnees/", "/gestion/protection-des-donnees/registre",
                 "/gestion/protection-des-donnees/registre.csv"):
        assert client.get(path).status_code == 403


def test_the_register_lists_every_demarche_from_its_privacy_block_plus_reports_and_staff(app, dpo):
    html = dpo.get("/gestion/protection-des-donnees/registre").get_data(as_text=True)
    with app.app_context():
        demarches = catalogue().all()
    for demarche in demarches:
        assert demarche.title.replace("'", "&#39;") in html
    assert "Signalements de difficulté" in html and "Comptes des agents et journal des accès" in html
    assert "24 mois" in html and "conservé sans limite" in html
    text = dpo.get("/gestion/protection-des-donnees/registre.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Traitement" and len(rows) == 1 + len(demarches) + 4
    with app.app_context():
        canteen = catalogue().get("inscription-cantine")
    row = next(row for row in rows if row[0] == canteen.title)
    assert row[3] == canteen.privacy.legal_basis and row[8] == canteen.privacy.retention and row[9] == "24"


def test_the_desk_previews_what_retention_will_delete(app, dpo):
    old = add_request(app, status="acceptee", received=months_ago(20), decided=months_ago(13))
    html = dpo.get("/gestion/protection-des-donnees/").get_data(as_text=True)
    assert old["reference"] in html
    assert dpo.get("/gestion/protection-des-donnees/").status_code == 200
