"""/ecrire, the general electronic request (CRPA L112-8, decree 2015-1404 art. 3): a démarche whose service is
chosen by an answer and whose legal regime is unknown until the service says it."""
import re
from pathlib import Path

import pytest
import yaml

from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.demarches.definitions import DefinitionError, load_definition
from guichet.mail.models import OutboxMessage
from guichet.paths import DEFAULT_SETTINGS, FORMS_DIR
from guichet.requests.models import DemarcheRequest
from a11y.walker import STEP_RE, page_data, start, submit, token_of
from guichet.demarches import flow

SERVICES = yaml.safe_load(DEFAULT_SETTINGS.read_text(encoding="utf-8"))["services"]


def ecrire(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load((FORMS_DIR / "ecrire.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "ecrire.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_each_subject_goes_to_its_service_and_the_others_to_the_reception():
    demarche = load_definition(FORMS_DIR / "ecrire.yaml", SERVICES)
    assert demarche.service_for({"sujet": "ecole"}).key == "education"
    assert demarche.service_for({"sujet": "rue"}).key == "voirie"
    assert demarche.service_for({"sujet": "autre"}).key == "accueil"
    assert demarche.service_for({}).key == "accueil"
    assert demarche.for_answers({"sujet": "social"}).service.designation == SERVICES["ccas"]["name"]
    assert demarche.legal.implicit == "unknown"


@pytest.mark.parametrize("change, key, fragment", [
    (lambda raw: raw["service_by_answer"].update(question="objet"), "service_by_answer.question", "radios ou select"),
    (lambda raw: raw["service_by_answer"].update(question="inconnue"), "service_by_answer.question", "radios ou select"),
    (lambda raw: raw["service_by_answer"]["services"].update(piscine="voirie"), "service_by_answer.services.piscine",
     "pas une réponse possible"),
    (lambda raw: raw["service_by_answer"]["services"].update(ecole="piscine"), "service", "inconnu"),
    (lambda raw: raw["legal"].update(duration={"months": 2}), "legal.duration", "pas de délai"),
])
def test_a_wrong_service_by_answer_or_regime_names_the_key(tmp_path, change, key, fragment):
    with pytest.raises(DefinitionError) as caught:
        load_definition(ecrire(tmp_path, change), SERVICES)
    assert caught.value.key == key and fragment in caught.value.problem


def walk(client, demarche, subject: str) -> str:
    response = start(client, demarche)
    for _ in range(40):
        location = response.headers["Location"]
        if location.endswith("/verifier"):
            return client.get(location).get_data(as_text=True)
        html = client.get(location).get_data(as_text=True)
        page = next(page for page in flow.all_pages(demarche) if page.id == STEP_RE.search(location).group(1))
        data = page_data(page, token_of(html))
        if page.id == "sujet":
            data["sujet"] = subject
        response = client.post(location, data=data, content_type="multipart/form-data")
    raise AssertionError("never reached the check page")


def test_the_request_reaches_the_chosen_service_with_the_legal_receipt(app):
    client = app.test_client()
    assert client.get("/ecrire").headers["Location"] == "/demarches/ecrire"
    with app.app_context():
        demarche = catalogue().get("ecrire")
    sent = submit(client, demarche, walk(client, demarche, "rue"))
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Dans les 7 jours, il vous dit si elle demande une décision de la mairie" in receipt
    assert SERVICES["voirie"]["name"] in receipt.replace("&#39;", "'")
    reference = re.search(r"ADM-\d{4}-\d{6}", receipt).group(0)
    with app.app_context():
        row = db.session().query(DemarcheRequest).filter_by(reference=reference).one()
        assert (row.service, row.decision_due, row.channel) == ("voirie", None, "web")
        mail = db.session().query(OutboxMessage).filter(OutboxMessage.subject.contains(reference)).one()
        assert "voirie@admiville.fr" in mail.body and "Dans les 7 jours" in mail.body


def test_the_teleservices_page_lists_them_and_is_in_the_footer(client):
    page = client.get("/modalites-teleservices").get_data(as_text=True)
    for expected in ('href="/demarches/ecrire"', 'href="/rendez-vous/"', 'href="/rappel/"', "ne-pas-repondre@localhost",
                     "date limite", "01 99 00 10 00"):
        assert expected in page
    assert 'href="/modalites-teleservices"' in client.get("/").get_data(as_text=True)
