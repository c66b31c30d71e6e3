"""Answers as the person saw them, and what changed between two versions."""
from guichet.requests import answers
from guichet.requests.reply_templates import ReplyTemplate, fill, load, offered, parse
from guichet.paths import FORMS_DIR, REPLY_TEMPLATES

import pytest
import yaml


def cantine(app):
    from guichet.demarches.catalogue import catalogue
    with app.app_context():
        return catalogue().get("inscription-cantine")


def test_snapshot_uses_labels_and_keeps_unknown_answers(app):
    demarche = cantine(app)
    question = next(page for page in demarche.pages if page.repeat is None and page.when is None).questions[0]
    sections = answers.snapshot(demarche, {question.id: "x", "ancienne_question": "gardée"}, {})
    rows = [row for section in sections for row in section.rows]
    assert rows[0].question is question and rows[0].value == "x"
    assert sections[-1].title == answers.OTHER_ANSWERS
    assert [(row.key, row.value) for row in sections[-1].rows] == [("ancienne_question", "gardée")]


def test_snapshot_without_definition_shows_everything_raw():
    sections = answers.snapshot(None, {"a": 1}, {"identite_nom": "Dupont"})
    assert [(row.key, row.question) for row in sections[0].rows] == [("a", None), ("identite_nom", None)]


def test_changes_are_per_question_in_the_order_of_the_demarche(app):
    demarche = cantine(app)
    before = {"identite_nom": "Dupont", "identite_prenom": "Marie", "zz": 1}
    after = {"identite_nom": "Durand", "identite_prenom": "Marie", "nouvelle": "oui"}
    found = answers.changes(demarche, before, after)
    assert [(change.key, change.label, change.before, change.after) for change in found] == [
        ("identite_nom", "Nom de famille", "Dupont", "Durand"), ("nouvelle", "nouvelle", None, "oui"),
        ("zz", "zz", 1, None)]
    assert answers.changes(demarche, before, before) == []


def test_reply_templates_file_is_valid_and_names_real_services_and_demarches(app):
    templates = load(REPLY_TEMPLATES)
    assert templates
    services = set(app.config["SETTINGS"]["services"])
    slugs = {path.stem for path in FORMS_DIR.glob("*.yaml")}
    for template in templates:
        assert set(template.services) <= services and set(template.demarches) <= slugs, template.id


@pytest.mark.parametrize("content", [
    "templates: [{id: a, title: T}]", "templates: [{id: 'A B', title: T, body: x}]",
    "templates: [{id: a, title: T, body: x}, {id: a, title: U, body: y}]", "templates: [3]"])
def test_bad_reply_templates_are_refused(content):
    with pytest.raises(ValueError):
        parse(yaml.safe_load(content))


def test_offered_and_fill():
    everywhere = ReplyTemplate("a", "A", "Demande {reference} {inconnu} {agent}")
    voirie = ReplyTemplate("b", "B", "x", services=("voirie",))
    acte = ReplyTemplate("c", "C", "x", demarches=("demande-acte-etat-civil",))
    assert offered([everywhere, voirie, acte], "etat-civil", "demande-acte-etat-civil") == [everywhere, acte]
    assert offered([everywhere, voirie, acte], "voirie", "signaler") == [everywhere, voirie]
    assert fill(everywhere, {"reference": "ADM-1", "agent": "Camille"}) == "Demande ADM-1 {inconnu} Camille"
