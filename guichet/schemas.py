"""The JSON Schemas of our data files, generated from their pydantic models.

Editors (VS Code with the YAML extension, JetBrains IDEs) read them to check and complete a
file as it is typed. Regenerate after changing a model: `python -m guichet.schemas`;
a test fails while a published schema differs from its model.
"""
from __future__ import annotations

import json
from pathlib import Path

from guichet.content.schema import Event, Fiche
from guichet.demarches.schema import DemarcheFile
from guichet.paths import SITE_DIR
from guichet.requests.reply_templates import TemplatesFile
from guichet.settings import Settings
from lexicon.vocabulary import DEFAULT_PATH as VOCABULARY_DIR
from lexicon.vocabulary import VOCABULARY_FILE

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def published() -> dict[Path, dict]:
    """Each schema file and the JSON Schema it must contain."""
    return {
        SITE_DIR / "forms" / "schema.json": DemarcheFile.model_json_schema(),
        SITE_DIR / "content" / "schema.json": Fiche.model_json_schema(),
        SITE_DIR / "content" / "evenement.schema.json": Event.model_json_schema(),
        SITE_DIR / "settings" / "schema.json": Settings.model_json_schema(),
        SITE_DIR / "replies" / "schema.json": TemplatesFile.model_json_schema(),
        VOCABULARY_DIR / "schema.json": VOCABULARY_FILE.json_schema() | {"title": "Vocabulaire Guichet"},
    }


def render(schema: dict) -> str:
    """Stable text, so a regenerated file only changes when a model does."""
    return json.dumps({"$schema": DIALECT, **schema}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write() -> list[Path]:
    paths = []
    for path, schema in published().items():
        path.write_text(render(schema), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write():
        print(written)
