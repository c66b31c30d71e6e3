"""Published JSON Schemas: up to date with their models, pointed at by every YAML file, and
accepting every real data file while refusing what the loaders refuse."""
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from guichet.content.frontmatter import split
from guichet.paths import CONTENT_DIR, FORMS_DIR, SITE_DIR
from guichet.schemas import published, render
from lexicon.vocabulary import DEFAULT_PATH as VOCABULARY_DIR

MODELINE = "# yaml-language-server: $schema=./schema.json\n"
YAML_FILES = sorted([*FORMS_DIR.glob("*.yaml"), *(SITE_DIR / "settings").glob("*.yaml"),
                     *(SITE_DIR / "replies").glob("*.yaml"), *VOCABULARY_DIR.glob("*.yaml")])


def schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def as_json(data):
    """What an editor's YAML 1.2 parser sees: unquoted dates are text."""
    return json.loads(json.dumps(data, default=str))


def problems(schema_path: Path, data) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(schema_path))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(as_json(data))]


def test_published_schemas_match_the_models():
    """Fails when a model changed without `python -m guichet.schemas`."""
    for path, model_schema in published().items():
        assert path.read_text(encoding="utf-8") == render(model_schema), f"{path}: run python -m guichet.schemas"


def test_published_schemas_are_valid_json_schemas():
    for path in published():
        jsonschema.Draft202012Validator.check_schema(schema(path))


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: path.name)
def test_every_yaml_data_file_points_at_its_schema(path):
    assert path.read_text(encoding="utf-8").startswith(MODELINE)
    assert (path.parent / "schema.json").is_file()


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: path.name)
def test_every_yaml_data_file_is_valid_against_its_schema(path):
    assert problems(path.parent / "schema.json", yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def front_matters(pattern: str):
    for path in sorted(CONTENT_DIR.glob(pattern)):
        yield path, split(path.read_text(encoding="utf-8"))[0]


def test_every_fiche_front_matter_is_valid_against_the_schema():
    fiches = list(front_matters("*/*.md"))
    assert len(fiches) >= 24
    for path, meta in fiches:
        assert problems(CONTENT_DIR / "schema.json", meta) == [], path


def test_every_life_event_front_matter_is_valid_against_the_schema():
    events = list(front_matters("*/evenements/*.md"))
    assert len(events) >= 8
    for path, meta in events:
        assert problems(CONTENT_DIR / "evenement.schema.json", meta) == [], path


def demarche() -> dict:
    return yaml.safe_load((Path(__file__).parent / "demarches" / "fixtures" / "exemple.yaml").read_text(encoding="utf-8"))


def test_the_forms_schema_refuses_what_the_loader_refuses():
    """Not an empty schema: typos, keys of another question type and bad values are caught in the editor."""
    forms_schema = FORMS_DIR / "schema.json"
    assert problems(forms_schema, demarche()) == []
    for key_path, value in [(("titre",), "X"), (("pages", 1, "min"), 1), (("pages", 0, "type"), "choice"),
                            (("estimated_minutes",), 0), (("pages", 2, "questions", 0, "when"), {"question": "motif"}),
                            (("pages", 6, "accept"), ["pdf", "pdf"]), (("identity",), "personne")]:
        raw = demarche()
        *parents, last = key_path
        target = raw
        for key in parents:
            target = target[key]
        target[last] = value
        assert problems(forms_schema, raw), key_path


def test_the_settings_schema_refuses_css_injection():
    settings = yaml.safe_load((SITE_DIR / "settings" / "admiville.yaml").read_text(encoding="utf-8"))
    settings["organisation"]["tokens"]["brand"] = "red;}body{display:none"
    assert problems(SITE_DIR / "settings" / "schema.json", settings)
