"""Démarche definitions: the real ones load, and each broken rule is reported with file and key path."""
import copy
import logging
import re
from pathlib import Path

import pytest
import yaml

from guichet.demarches.definitions import (
    DEFAULT_MAX_BYTES,
    DONT_KNOW,
    FRENCH_PHONE_PATTERN,
    Condition,
    DefinitionError,
    is_autofill_token,
    load_catalogue,
    load_definition,
)
from guichet.paths import CONTENT_DIR, DEFAULT_SETTINGS, FORMS_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "exemple.yaml"
SERVICES = yaml.safe_load(DEFAULT_SETTINGS.read_text(encoding="utf-8"))["services"]
REAL_SLUGS = {"signaler-probleme-voie-publique", "demande-acte-etat-civil", "inscription-cantine", "ecrire",
              "changement-adresse", "occupation-domaine-public"}
MAX_SENTENCE_WORDS = 15


def baseline() -> dict:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def write(directory: Path, raw: dict, name: str = "exemple") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load_error(path: Path) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        load_definition(path, SERVICES)
    return caught.value


def put(keys: tuple, value):
    """A change to the baseline: set the value at a key path."""
    def mutate(raw):
        *parents, last = keys
        for key in parents:
            raw = raw[key]
        raw[last] = value
    return mutate


def drop(keys: tuple):
    def mutate(raw):
        *parents, last = keys
        for key in parents:
            raw = raw[key]
        del raw[last]
    return mutate


def both(*mutations):
    def mutate(raw):
        for mutation in mutations:
            mutation(raw)
    return mutate


def swap_pages(first: int, second: int):
    def mutate(raw):
        pages = raw["pages"]
        pages[first], pages[second] = pages[second], pages[first]
    return mutate


SELECT_OPTIONS = [{"value": f"e{number}", "label": f"École {number}"} for number in range(1, 4)]

ERROR_CASES = [
    # (name, change to the baseline, key path in the message, fragment of the problem)
    ("unknown top-level key", put(("titre",), "X"), "titre", "clé inconnue"),
    ("missing title", drop(("title",)), "title", "clé obligatoire manquante"),
    ("empty description", put(("description",), "  "), "description", "texte non vide"),
    ("empty what_you_need", put(("what_you_need",), []), "what_you_need", "liste non vide"),
    ("estimated time zero", put(("estimated_minutes",), 0), "estimated_minutes", "au moins 1"),
    ("estimated time not a number", put(("estimated_minutes",), "dix"), "estimated_minutes", "nombre entier"),
    ("bad life event slug", put(("life_events",), ["Déménagement"]), "life_events[0]", "minuscules"),
    ("duplicate fiche", put(("fiches",), ["pacs", "pacs"]), "fiches[1]", "déjà dans la liste"),
    ("slug differs from file name", put(("slug",), "autre-chose"), "slug", "identique au nom du fichier"),
    ("bad identity", put(("identity",), "personne"), "identity", "individual, company, association, any"),
    ("missing declaration", drop(("declaration",)), "declaration", "clé obligatoire manquante"),
    ("negative popular rank", put(("popular",), -1), "popular", "au moins 0"),
    ("missing service", drop(("service",)), "service", "clé obligatoire manquante"),
    ("unknown service key", put(("service",), "piscine"), "service", "service « piscine » inconnu"),
    ("inline service without email",
     put(("service",), {"designation": "S", "address": "A", "phone": "P", "hours": "H"}), "service.email",
     "clé obligatoire manquante"),
    ("unknown key in inline service",
     put(("service",), {"designation": "S", "address": "A", "email": "E", "phone": "P", "hours": "H", "fax": "F"}),
     "service.fax", "clé inconnue"),
    ("missing legal regime", drop(("legal",)), "legal", "clé obligatoire manquante"),
    ("unknown implicit decision", put(("legal", "implicit"), "silence"), "legal.implicit", "acceptance"),
    ("missing legal duration", drop(("legal", "duration")), "legal.duration", "obligatoire"),
    ("duration in days and months", put(("legal", "duration"), {"days": 10, "months": 2}), "legal.duration",
     "soit days"),
    ("duration in weeks", put(("legal", "duration"), {"weeks": 3}), "legal.duration.weeks", "clé inconnue"),
    ("empty duration", put(("legal", "duration"), {"days": None}), "legal.duration.days", "obligatoire"),
    ("duration with implicit none", put(("legal", "implicit"), "none"), "legal.duration", "aucune décision"),
    ("missing legal reference", drop(("legal", "reference")), "legal.reference", "texte de loi"),
    ("appeal missing for rejection", put(("legal", "implicit"), "rejection"), "legal.appeal", "recours"),
    ("missing privacy field", drop(("privacy", "retention")), "privacy.retention", "clé obligatoire manquante"),
    ("missing retention months", drop(("privacy", "retention_months")), "privacy.retention_months",
     "clé obligatoire manquante"),
    ("retention months not a number", put(("privacy", "retention_months"), "un an"), "privacy.retention_months",
     "nombre entier"),
    ("retention months zero", put(("privacy", "retention_months"), 0), "privacy.retention_months", "au moins 1"),
    ("after_submit without fiche", put(("after_submit",), [{"text": "Voir aussi"}]), "after_submit[0].fiche",
     "clé obligatoire manquante"),
    ("empty pages", put(("pages",), []), "pages", "liste non vide"),
    ("unknown question type", put(("pages", 0, "type"), "choice"), "pages[0].type", "« choice » n'est pas possible"),
    ("unknown question type in a group", put(("pages", 2, "questions", 0, "type"), "mail"),
     "pages[2].questions[0].type", "« mail » n'est pas possible"),
    ("missing question type", drop(("pages", 4, "type")), "pages[4].type", "clé obligatoire manquante"),
    ("unknown key in a question", put(("pages", 1, "max_lenght"), 10), "pages[1].max_lenght", "clé inconnue"),
    ("key that does not apply to the type", put(("pages", 1, "min"), 1), "pages[1].min",
     "ne s'applique pas à une question de type « textarea »"),
    ("missing label", drop(("pages", 4, "label")), "pages[4].label", "clé obligatoire manquante"),
    ("required not a boolean", put(("pages", 1, "required"), "oui"), "pages[1].required", "true"),
    ("bad question id", put(("pages", 4, "id"), "Nombre"), "pages[4].id", "lettre minuscule"),
    ("reserved identity prefix", put(("pages", 4, "id"), "identite_nom"), "pages[4].id", "réservés"),
    ("reserved prefix on a page", put(("pages", 2, "id"), "identite_contact"), "pages[2].id", "réservés"),
    ("reserved prefix on a repeat", put(("pages", 3, "repeat", "id"), "identite_enfants"), "pages[3].repeat.id",
     "réservés"),
    ("duplicate question id", put(("pages", 4, "id"), "courriel"), "pages[4].id", "« courriel » est déjà utilisé"),
    ("duplicate question id in a group", put(("pages", 3, "questions", 0, "id"), "courriel"),
     "pages[3].questions[0].id", "déjà utilisé"),
    ("duplicate page id", put(("pages", 3, "id"), "contact"), "pages[3].id", "la page « contact » existe déjà"),
    ("repeat id used by a question", put(("pages", 3, "repeat", "id"), "courriel"), "pages[3].repeat.id",
     "déjà utilisé"),
    ("options missing for radios", drop(("pages", 0, "options")), "pages[0].options", "liste des choix"),
    ("options missing for checkboxes", drop(("pages", 3, "questions", 1, "options")),
     "pages[3].questions[1].options", "liste des choix"),
    ("options on a text question", put(("pages", 4, "options"), SELECT_OPTIONS), "pages[4].options",
     "ne s'applique pas"),
    ("options on a yesno question", put(("pages", 11, "options"), SELECT_OPTIONS), "pages[11].options",
     "ne s'applique pas"),
    ("radios with one option", put(("pages", 0, "options"), [{"value": "a", "label": "A"}]), "pages[0].options",
     "au moins 2"),
    ("select with few options", put(("pages", 10, "options"), SELECT_OPTIONS), "pages[10].options",
     "moins de 8 choix"),
    ("duplicate option value", put(("pages", 0, "options", 1, "value"), "a"), "pages[0].options[1].value",
     "« a » est déjà utilisée"),
    ("duplicate option label", put(("pages", 0, "options", 1, "label"), "Raison A"), "pages[0].options[1].label",
     "déjà utilisé"),
    ("bad option value", put(("pages", 0, "options", 1, "value"), "Raison B"), "pages[0].options[1].value",
     "minuscules"),
    ("option value read as a boolean", put(("pages", 0, "options", 1, "value"), True), "pages[0].options[1].value",
     "guillemets"),
    ("option without label", drop(("pages", 0, "options", 1, "label")), "pages[0].options[1].label",
     "clé obligatoire manquante"),
    ("dont_know on checkboxes", put(("pages", 3, "questions", 1, "dont_know"), True),
     "pages[3].questions[1].dont_know", "ne s'applique pas"),
    ("dont_know and a je-ne-sais-pas option",
     both(put(("pages", 0, "dont_know"), True), put(("pages", 0, "options", 1, "value"), DONT_KNOW)),
     "pages[0].options[1].value", "dont_know"),
    ("bad regex pattern", both(put(("pages", 12, "pattern"), "[a-z"), put(("pages", 12, "pattern_message"), "Non.")),
     "pages[12].pattern", "expression régulière invalide"),
    ("pattern without message", put(("pages", 12, "pattern"), "[a-z]+"), "pages[12].pattern_message",
     "obligatoire avec « pattern »"),
    ("pattern message without pattern", put(("pages", 12, "pattern_message"), "Non."), "pages[12].pattern_message",
     "inutile"),
    ("bad autocomplete token", put(("pages", 12, "autocomplete"), "prenom"), "pages[12].autocomplete",
     "n'est pas une valeur autocomplete"),
    ("contact hint on a non-contact field", put(("pages", 12, "autocomplete"), "work given-name"),
     "pages[12].autocomplete", "autocomplete"),
    ("autocomplete off read as a boolean", put(("pages", 12, "autocomplete"), False), "pages[12].autocomplete",
     "guillemets"),
    ("autocomplete on a sensitive question", put(("pages", 9, "autocomplete"), "off"), "pages[9].autocomplete",
     "sensitive"),
    ("address autocomplete token", put(("pages", 8, "autocomplete"), "street-address"), "pages[8].autocomplete",
     "seul « off »"),
    ("autocomplete on radios", put(("pages", 0, "autocomplete"), "sex"), "pages[0].autocomplete",
     "ne s'applique pas"),
    ("unknown inputmode", put(("pages", 4, "inputmode"), "digits"), "pages[4].inputmode", "numeric"),
    ("number min greater than max", put(("pages", 4, "min"), 11), "pages[4].min", "plus grand que max"),
    ("number bound not a number", put(("pages", 4, "max"), "dix"), "pages[4].max", "doit être un nombre"),
    ("min_length greater than max_length",
     both(put(("pages", 12, "min_length"), 20), put(("pages", 12, "max_length"), 10)), "pages[12].min_length",
     "plus grand que max_length"),
    ("min_length greater than the default max_length", put(("pages", 12, "min_length"), 300),
     "pages[12].min_length", "max_length (200)"),
    ("unknown date constraint", put(("pages", 7, "date"), "passé"), "pages[7].date", "past, future"),
    ("unknown file format", put(("pages", 6, "accept"), ["pdf", "docx"]), "pages[6].accept[1]", "« docx »"),
    ("duplicate file format", put(("pages", 6, "accept"), ["pdf", "pdf"]), "pages[6].accept[1]",
     "déjà dans la liste"),
    ("empty file format list", put(("pages", 6, "accept"), []), "pages[6].accept", "liste non vide"),
    ("file too large", put(("pages", 6, "max_size_mb"), 50), "pages[6].max_size_mb", "au plus 10"),
    ("group page without title", drop(("pages", 2, "title")), "pages[2].title", "clé obligatoire manquante"),
    ("title on a single-question page", put(("pages", 1, "title"), "Précision"), "pages[1].title",
     "regroupe des questions"),
    ("empty group", put(("pages", 2, "questions"), []), "pages[2].questions", "liste non vide"),
    ("unknown page key", put(("pages", 2, "hint"), "Aide"), "pages[2].hint", "clé inconnue"),
    ("condition on a question of a group",
     put(("pages", 2, "questions", 1, "when"), {"question": "motif", "equals": "a"}), "pages[2].questions[1].when",
     "sur la page"),
    ("repeat min greater than max", put(("pages", 3, "repeat", "min"), 4), "pages[3].repeat.min",
     "plus grand que max"),
    ("repeat without max", drop(("pages", 3, "repeat", "max")), "pages[3].repeat.max", "clé obligatoire manquante"),
    ("repeat without add label", drop(("pages", 3, "repeat", "add_label")), "pages[3].repeat.add_label",
     "clé obligatoire manquante"),
    ("condition on an unknown question", put(("pages", 1, "when", "question"), "raison"),
     "pages[1].when.question", "« raison » n'existe pas"),
    ("condition on a later question", swap_pages(0, 1), "pages[0].when.question", "page précédente"),
    ("condition on a question of the same page",
     put(("pages", 2, "when"), {"question": "courriel", "equals": "x"}), "pages[2].when.question",
     "page précédente"),
    ("condition on a free-text answer", put(("pages", 11, "when"), {"question": "nombre", "equals": "3"}),
     "pages[11].when.question", "question à choix"),
    ("condition on a repeated question", put(("pages", 11, "when"), {"question": "jours", "equals": "lundi"}),
     "pages[11].when.question", "groupe répétable"),
    ("condition on an impossible value", put(("pages", 1, "when", "equals"), "c"), "pages[1].when.equals",
     "« c » n'est pas une réponse possible"),
    ("condition list with an impossible value", put(("pages", 1, "when"), {"question": "motif", "in": ["b", "z"]}),
     "pages[1].when.in[1]", "« z »"),
    ("condition with equals and in", put(("pages", 1, "when", "in"), ["a"]), "pages[1].when", "soit « equals"),
    ("condition without value", drop(("pages", 1, "when", "equals")), "pages[1].when", "soit « equals"),
    ("condition with unknown key", put(("pages", 1, "when", "not"), "a"), "pages[1].when.not", "clé inconnue"),
    ("yesno condition on a boolean", put(("pages", 9, "when"), {"question": "accord", "equals": True}),
     "pages[9].when.equals", "guillemets"),
    ("question that speaks to the person, no other wording", put(("pages", 1, "label"), "Avez-vous un enfant ?"),
     "pages[1].for_someone_else.label", "parle à la personne"),
    ("other wording that still speaks to the person",
     put(("pages", 2, "questions", 1, "for_someone_else", "label"), "Quel est votre numéro ?"),
     "pages[2].questions[1].for_someone_else.label", "parle à la personne"),
    ("group title that speaks to the person", drop(("pages", 2, "for_someone_else")),
     "pages[2].for_someone_else.title", "parle à la personne"),
    ("choice in the first person, no other wording", put(("pages", 0, "options", 0, "label"), "Je suis locataire"),
     "pages[0].options[0].for_someone_else", "la personne parle"),
    ("other wording without label", drop(("pages", 2, "questions", 1, "for_someone_else", "label")),
     "pages[2].questions[1].for_someone_else.label", "clé obligatoire manquante"),
]


@pytest.mark.parametrize("mutate, key, fragment", [case[1:] for case in ERROR_CASES],
                         ids=[case[0] for case in ERROR_CASES])
def test_each_broken_rule_names_the_file_and_key_path(tmp_path, mutate, key, fragment):
    raw = baseline()
    mutate(raw)
    path = write(tmp_path, raw)
    error = load_error(path)
    assert (error.path, error.key) == (str(path), key), str(error)
    assert str(error) == f"{path}: {key}: {error.problem}"
    assert fragment in error.problem


def test_baseline_fixture_is_valid(tmp_path):
    demarche = load_definition(write(tmp_path, baseline()), SERVICES)
    assert demarche.slug == "exemple"
    assert [page.id for page in demarche.pages][:4] == ["motif", "precision", "contact", "enfants"]


def test_invalid_slug_is_refused_even_when_it_matches_the_file_name(tmp_path):
    raw = baseline()
    raw["slug"] = "Exemple_1"
    error = load_error(write(tmp_path, raw, "Exemple_1"))
    assert error.key == "slug" and "minuscules" in error.problem


def test_condition_on_a_repeated_question_earlier_in_the_file(tmp_path):
    raw = baseline()
    raw["pages"][4]["when"] = {"question": "prenom_enfant", "equals": "x"}
    error = load_error(write(tmp_path, raw))
    assert error.key == "pages[4].when.question"


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "exemple.yaml"
    path.write_text("slug: exemple\ntitle: [pas fermé\n", encoding="utf-8")
    error = load_error(path)
    assert error.key == "(fichier)" and "YAML illisible à la ligne" in error.problem


def test_duplicate_yaml_key_is_refused(tmp_path):
    path = tmp_path / "exemple.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + "title: Un autre titre\n", encoding="utf-8")
    error = load_error(path)
    assert error.key == "(fichier)" and "« title » est écrite deux fois" in error.problem


def test_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "exemple.yaml"
    path.write_text("- une liste\n", encoding="utf-8")
    assert load_error(path).key == "(fichier)"


def test_file_not_in_utf8(tmp_path):
    path = tmp_path / "exemple.yaml"
    path.write_bytes("title: Démarche\n".encode("latin-1"))
    assert "UTF-8" in load_error(path).problem


def test_missing_settings_services_is_an_error_naming_the_key(tmp_path):
    path = write(tmp_path, baseline())
    with pytest.raises(DefinitionError) as caught:
        load_definition(path, None)
    assert caught.value.key == "service" and "aucun" in caught.value.problem


def test_settings_service_with_missing_field(tmp_path):
    path = write(tmp_path, baseline())
    with pytest.raises(DefinitionError) as caught:
        load_definition(path, {"accueil": {"name": "Accueil", "address": "1 place", "email": "a@b.fr", "phone": "01"}})
    assert caught.value.key == "service" and "hours" in caught.value.problem


# --- What a valid definition gives the engine ------------------------------------------------


@pytest.fixture
def exemple(tmp_path):
    return load_definition(write(tmp_path, baseline()), SERVICES)


def test_service_key_is_resolved_from_the_settings_file(exemple):
    assert exemple.service.designation == SERVICES["accueil"]["name"]
    assert exemple.service.email == "contact@admiville.fr"


def test_inline_service(tmp_path):
    raw = baseline()
    raw["service"] = {"designation": "Service des sports", "address": "5 allée du Stade, 99100 Admiville",
                      "email": "sports@admiville.fr", "phone": "01 99 00 10 60", "hours": "Du lundi au vendredi."}
    demarche = load_definition(write(tmp_path, raw), SERVICES)
    assert demarche.service.designation == "Service des sports"


def test_type_defaults(exemple):
    email = exemple.question("courriel")
    assert (email.autocomplete, email.inputmode, email.validation.max_length) == ("email", "email", 254)
    phone = exemple.question("telephone")
    assert (phone.autocomplete, phone.inputmode, phone.validation.pattern) == ("tel", "tel", FRENCH_PHONE_PATTERN)
    assert phone.validation.pattern_message
    assert exemple.question("nombre").inputmode == "numeric"
    piece = exemple.question("piece")
    assert piece.validation.accept == ("pdf", "jpeg", "png")
    assert piece.validation.max_bytes == DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    assert exemple.question("prenom_enfant").validation.max_length == 200
    assert exemple.question("precision").validation.max_length == 2000
    assert exemple.question("sante").autocomplete == "off"
    assert exemple.question("adresse").autocomplete is None
    assert exemple.question("prenom").autocomplete == "given-name"
    assert [option.value for option in exemple.question("accord").options] == ["oui", "non"]


def test_question_keys_and_defaults(exemple):
    motif = exemple.question("motif")
    assert motif.required is True and motif.dont_know is False and motif.sensitive is False
    assert motif.options[1].hint == "Une autre raison."
    assert exemple.question("telephone").required is False
    assert exemple.question("quotient").dont_know is True
    assert exemple.question("arrivee").validation.date == "past"
    assert exemple.question("nombre").validation.min == 0 and exemple.question("nombre").validation.max == 10


def test_french_phone_pattern():
    for number in ("01 99 00 10 00", "0199001000", "06.12.34.56.78", "+33 6 12 34 56 78", "+33612345678"):
        assert re.fullmatch(FRENCH_PHONE_PATTERN, number), number
    for number in ("199001000", "00 12 34 56 78", "06 12 34 56", "+44 20 7946 0958", "06-12-34-56-78"):
        assert not re.fullmatch(FRENCH_PHONE_PATTERN, number), number


def test_file_limits_can_be_narrowed(tmp_path):
    raw = baseline()
    raw["pages"][6].update({"accept": ["jpeg", "png"], "max_size_mb": 2})
    piece = load_definition(write(tmp_path, raw), SERVICES).question("piece")
    assert piece.validation.accept == ("jpeg", "png") and piece.validation.max_bytes == 2 * 1024 * 1024


def test_pages_groups_and_repeats(exemple):
    assert exemple.page("precision").title is None
    assert [question.id for question in exemple.page("contact").questions] == ["courriel", "telephone"]
    repeat = exemple.page("enfants").repeat
    assert (repeat.id, repeat.item_label, repeat.add_label, repeat.min, repeat.max) == (
        "enfants", "Enfant", "Ajouter un enfant", 1, 3)
    assert exemple.page("precision").when == Condition("motif", ("b",))
    assert exemple.page("sante").when == Condition("quotient", (DONT_KNOW,))


def test_lookups_raise_key_error_for_unknown_ids(exemple):
    with pytest.raises(KeyError):
        exemple.question("inconnue")
    with pytest.raises(KeyError):
        exemple.page("inconnue")
    assert len(exemple.all_questions()) == 15


def test_legal_privacy_links_and_lists(exemple):
    assert (exemple.legal.implicit, exemple.legal.duration_months, exemple.legal.duration_days) == (
        "acceptance", 2, None)
    assert exemple.legal.appeal is None and exemple.legal.expected_processing is None
    assert exemple.privacy.rights == "Écrivez à dpo@admiville.fr."
    assert exemple.after_submit[0].fiche == "inscription-listes-electorales"
    assert exemple.what_you_need == ("Rien de spécial.",)
    assert exemple.life_events == ("demenagement",) and exemple.popular == 0


def test_implicit_none_needs_no_duration_nor_reference(tmp_path):
    raw = baseline()
    raw["legal"] = {"implicit": "none"}
    legal = load_definition(write(tmp_path, raw), SERVICES).legal
    assert (legal.implicit, legal.duration_days, legal.duration_months, legal.reference) == ("none", None, None, None)


def test_duration_in_days(tmp_path):
    raw = baseline()
    raw["legal"]["duration"] = {"days": 15}
    legal = load_definition(write(tmp_path, raw), SERVICES).legal
    assert (legal.duration_days, legal.duration_months) == (15, None)


def test_version_follows_the_file_bytes(tmp_path):
    path = write(tmp_path, baseline())
    first = load_definition(path, SERVICES).version
    assert len(first) == 12 and load_definition(path, SERVICES).version == first
    path.write_text(path.read_text(encoding="utf-8") + "# une modification\n", encoding="utf-8")
    assert load_definition(path, SERVICES).version != first


@pytest.mark.parametrize("value", ["email", "given-name", "section-parent family-name", "shipping postal-code",
                                   "work email", "mobile tel", "billing work tel webauthn", "off", "on", "bday-day"])
def test_valid_autocomplete_tokens(value):
    assert is_autofill_token(value)


@pytest.mark.parametrize("value", ["", "prenom", "off email", "work given-name", "email shipping", "section- email",
                                   "webauthn", "EMAIL"])
def test_invalid_autocomplete_tokens(value):
    assert not is_autofill_token(value)


# --- Conditions ------------------------------------------------------------------------------


def test_condition_matches_single_answers():
    condition = Condition("motif", ("b", "c"))
    assert condition.matches({"motif": "b"})
    assert not condition.matches({"motif": "a"})
    assert not condition.matches({})
    assert not condition.matches({"motif": None})


def test_condition_matches_any_ticked_checkbox():
    condition = Condition("jours", ("mardi",))
    assert condition.matches({"jours": ["lundi", "mardi"]})
    assert not condition.matches({"jours": ["lundi"]})
    assert not condition.matches({"jours": []})


def test_condition_on_dont_know_and_numbers():
    assert Condition("quotient", (DONT_KNOW,)).matches({"quotient": DONT_KNOW})
    assert not Condition("quotient", (DONT_KNOW,)).matches({"quotient": 850})
    assert Condition("nombre", ("3",)).matches({"nombre": 3})


# --- Catalogue -------------------------------------------------------------------------------


def titled(raw: dict, slug: str, title: str, popular: int = 0) -> dict:
    raw = copy.deepcopy(raw)
    raw.update({"slug": slug, "title": title, "popular": popular})
    return raw


def test_non_strict_catalogue_skips_a_broken_file_and_keeps_the_others(tmp_path, caplog):
    write(tmp_path, titled(baseline(), "bonne", "Une bonne démarche"), "bonne")
    broken = titled(baseline(), "cassee", "Une démarche cassée")
    broken["pages"][0]["type"] = "choice"
    broken_path = write(tmp_path, broken, "cassee")
    with caplog.at_level(logging.ERROR, logger="guichet.demarches"):
        catalogue = load_catalogue(tmp_path, SERVICES, strict=False)
    assert catalogue.slugs() == {"bonne"}
    assert catalogue.get("cassee") is None and catalogue.get("bonne").title == "Une bonne démarche"
    assert [error.path for error in catalogue.errors] == [str(broken_path)]
    assert str(broken_path) in caplog.text and "pages[0].type" in caplog.text


def test_strict_catalogue_raises_the_first_error(tmp_path):
    broken = baseline()
    del broken["legal"]
    write(tmp_path, broken)
    with pytest.raises(DefinitionError) as caught:
        load_catalogue(tmp_path, SERVICES, strict=True)
    assert caught.value.key == "legal"


def test_catalogue_ignores_other_files(tmp_path):
    write(tmp_path, baseline())
    (tmp_path / "README.md").write_text("# Formulaires\n", encoding="utf-8")
    (tmp_path / "brouillon.yml.bak").write_text("pas: du yaml valide: ici\n", encoding="utf-8")
    assert load_catalogue(tmp_path, SERVICES, strict=True).slugs() == {"exemple"}


def test_catalogue_sorts_titles_the_french_way_and_lists_popular_by_rank(tmp_path):
    raw = baseline()
    for slug, title, popular in [("zebre", "Zèbre", 0), ("elan", "Élan", 2), ("eau", "eau", 1),
                                 ("ecole", "École", 2)]:
        write(tmp_path, titled(raw, slug, title, popular), slug)
    catalogue = load_catalogue(tmp_path, SERVICES, strict=True)
    assert [demarche.slug for demarche in catalogue.all()] == ["eau", "ecole", "elan", "zebre"]
    assert [demarche.slug for demarche in catalogue.popular()] == ["eau", "ecole", "elan"]
    assert catalogue.errors == []


# --- The real démarches of site/forms --------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return load_catalogue(FORMS_DIR, SERVICES, strict=True)


def test_every_real_definition_loads_strictly(real):
    assert real.slugs() == REAL_SLUGS
    assert real.errors == []


def test_real_definitions_are_ranked_on_the_home_page(real):
    assert [demarche.slug for demarche in real.popular()] == [
        "signaler-probleme-voie-publique", "demande-acte-etat-civil", "inscription-cantine", "changement-adresse",
        "occupation-domaine-public"]


def test_real_definitions_point_at_existing_content():
    """Every fiche and life event named by a démarche must exist."""
    fiches = {path.stem for path in (CONTENT_DIR / "fr").glob("*.md")}
    events = {path.stem for path in (CONTENT_DIR / "fr" / "evenements").glob("*.md")}
    for demarche in load_catalogue(FORMS_DIR, SERVICES, strict=True).all():
        assert set(demarche.life_events) <= events, demarche.slug
        assert set(demarche.fiches) | {link.fiche for link in demarche.after_submit} <= fiches, demarche.slug


def test_real_legal_regimes(real):
    assert real.get("signaler-probleme-voie-publique").legal.implicit == "none"
    assert real.get("changement-adresse").legal.implicit == "none"
    acte = real.get("demande-acte-etat-civil").legal
    assert (acte.implicit, acte.duration_months) == ("acceptance", 2)
    aot = real.get("occupation-domaine-public").legal
    assert (aot.implicit, aot.duration_months) == ("rejection", 2)
    assert "https://citoyens.telerecours.fr" in aot.appeal and "15 jours" in aot.expected_processing
    assert real.get("occupation-domaine-public").identity == "any"


def test_change_of_address_points_at_electoral_registration(real):
    demarche = real.get("changement-adresse")
    assert demarche.after_submit[0].fiche == "inscription-listes-electorales"
    assert "listes électorales" in demarche.after_submit[0].text
    assert "listes électorales" in demarche.description


def test_canteen_asks_per_child_and_offers_dont_know_for_the_family_quotient(real):
    demarche = real.get("inscription-cantine")
    assert demarche.page("enfants").repeat.max == 6
    assert len(demarche.question("ecole").options) >= 8
    assert demarche.question("quotient").dont_know
    assert demarche.question("allergie_detail").sensitive


def public_texts(demarche):
    yield demarche.description
    yield from demarche.what_you_need
    yield from (demarche.legal.appeal or "", demarche.legal.expected_processing or "")
    yield from (demarche.privacy.purpose, demarche.privacy.legal_basis, demarche.privacy.recipients,
                demarche.privacy.retention, demarche.privacy.rights)
    yield from (link.text or "" for link in demarche.after_submit)
    for question in demarche.all_questions():
        yield question.label
        yield question.hint or ""
        for option in question.options:
            yield option.label
            yield option.hint or ""


def test_real_public_texts_use_short_sentences(real):
    """Plain French: no sentence of more than 15 words in what the public reads."""
    for demarche in real.all():
        for text in public_texts(demarche):
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                words = [word for word in sentence.split() if re.search(r"\w", word)]
                assert len(words) <= MAX_SENTENCE_WORDS, f"{demarche.slug}: {sentence}"


def test_real_labels_are_questions(real):
    for demarche in real.all():
        for question in demarche.all_questions():
            assert question.label.endswith("?"), f"{demarche.slug}: {question.label}"


def test_readme_complete_example_is_valid(tmp_path):
    """The editors' guide must not teach a format the loader refuses."""
    readme = (FORMS_DIR / "README.md").read_text(encoding="utf-8")
    example = readme.split("## A complete small example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "exemple.yaml"
    path.write_text(example, encoding="utf-8")
    assert load_definition(path, SERVICES).slug == "exemple"
