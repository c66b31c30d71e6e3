"""identity_prefill ("Dites-le-nous une fois"): parsed from the definition, proposed by the engine, checked."""
from pathlib import Path

import pytest
import yaml

from guichet.demarches.definitions import DefinitionError, load_catalogue, load_definition
from guichet.demarches.identity import prefill_hint, prefilled, unlinked_repeats
from guichet.paths import DEFAULT_SETTINGS, FORMS_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "exemple.yaml"
SERVICES = yaml.safe_load(DEFAULT_SETTINGS.read_text(encoding="utf-8"))["services"]
ADDRESS = {"ligne1": "3 rue Neuve", "ligne2": "", "code_postal": "99100", "commune": "Admiville"}


def load_with(tmp_path, prefill):
    raw = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    if prefill is not None:
        raw["identity_prefill"] = prefill
    path = tmp_path / "exemple.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_definition(path, SERVICES)


def test_prefill_is_parsed_into_identity_question_ids(tmp_path):
    demarche = load_with(tmp_path, {"address": "adresse", "email": "courriel", "phone": "none"})
    assert dict(demarche.identity_prefill) == {"identite_adresse": "adresse", "identite_email": "courriel",
                                               "identite_telephone": None}
    assert load_with(tmp_path, None).identity_prefill == ()


@pytest.mark.parametrize("prefill, key", [
    ({"adresse": "adresse"}, "identity_prefill.adresse"),           # unknown identity field
    ({"address": "courriel"}, "identity_prefill.address"),         # wrong type
    ({"address": "inconnue"}, "identity_prefill.address"),         # no such question
    ({"email": "prenom_enfant"}, "identity_prefill.email"),        # in a repeatable group, and wrong type
    ({"address": ""}, "identity_prefill.address"),
    (["adresse"], "identity_prefill"),
])
def test_bad_prefill_is_refused_with_its_key(tmp_path, prefill, key):
    with pytest.raises(DefinitionError) as caught:
        load_with(tmp_path, prefill)
    assert caught.value.key == key


def test_prefilled_proposes_only_unanswered_identity_questions(tmp_path):
    demarche = load_with(tmp_path, {"address": "adresse", "email": "courriel", "phone": "none"})
    assert prefilled(demarche, {"adresse": ADDRESS}) == {"identite_adresse": ADDRESS}
    mine = {**ADDRESS, "ligne1": "1 rue Vieille"}
    assert prefilled(demarche, {"adresse": ADDRESS, "identite_adresse": mine}) == {}
    assert prefilled(demarche, {"adresse": "je-ne-sais-pas", "courriel": ""}) == {}
    assert prefilled(demarche, {"courriel": "a@exemple.fr", "telephone": "06 12 34 56 78"}) == \
        {"identite_email": "a@exemple.fr"}


def test_prefill_hint_names_the_earlier_question(tmp_path):
    demarche = load_with(tmp_path, {"address": "adresse"})
    label = demarche.question("adresse").label
    assert prefill_hint(demarche, "identite_adresse", None) == \
        f"Nous avons repris votre réponse à la question « {label} ». Changez-la si besoin."
    assert prefill_hint(demarche, "identite_adresse", "Un conseil.").startswith("Un conseil. Nous avons repris")


def test_unlinked_repeats_names_each_identity_type_asked_without_decision(tmp_path):
    assert unlinked_repeats(load_with(tmp_path, None)) == ["address", "email", "phone"]
    assert unlinked_repeats(load_with(tmp_path, {"address": "none", "email": "courriel"})) == ["phone"]
    assert unlinked_repeats(load_with(tmp_path, {"address": "adresse", "email": "none", "phone": "none"})) == []


def test_no_real_demarche_asks_the_same_thing_twice_without_a_link():
    catalogue = load_catalogue(FORMS_DIR, SERVICES, strict=True)
    assert {demarche.slug: unlinked_repeats(demarche) for demarche in catalogue.all()
            if unlinked_repeats(demarche)} == {}
    assert dict(catalogue.get("changement-adresse").identity_prefill) == {"identite_adresse": "nouvelle_adresse"}


def test_demarches_check_command_applies_the_rule(app, tmp_path, monkeypatch):
    broken = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    (tmp_path / "exemple.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr("guichet.demarches.cli.FORMS_DIR", tmp_path)
    result = app.test_cli_runner().invoke(args=["demarches", "check"])
    assert result.exit_code != 0 and "identity_prefill" in result.output
