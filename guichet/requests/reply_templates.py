"""Reply templates (site/replies/templates.yaml): data, so a town edits them without code.

A template is offered for a request when its `services` and `demarches` lists (when present) contain the
request's service and démarche. Placeholders are filled from the request; an unknown one stays as written.
"""
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from lexicon.datafiles import Slug, SlugList, Strict, Text, plain_errors

PLACEHOLDERS = ("reference", "demarche", "service", "agent")


class TemplateEntry(Strict):
    id: Slug = Field(description="Identifiant : lettres minuscules, chiffres et tirets.")
    title: Text = Field(description="Ce que l'agent voit dans la liste des modèles.")
    body: Text = Field(description="Le texte. Variables : {reference}, {demarche}, {service}, {agent}.")
    services: SlugList = Field(default=[], description="Services (clés du fichier de réglages) ; vide : tous.")
    demarches: SlugList = Field(default=[], description="Démarches (slugs) ; vide : toutes.")


class TemplatesFile(Strict):
    """The reply templates file (site/replies/templates.yaml)."""

    templates: list[TemplateEntry] = Field(default=[], description="Les modèles de réponse.")


@dataclass(frozen=True)
class ReplyTemplate:
    id: str
    title: str
    body: str
    services: tuple[str, ...] = ()
    demarches: tuple[str, ...] = ()


def parse(data: dict | None) -> list[ReplyTemplate]:
    """The templates of the file's content; raises ValueError naming the faulty entry and key."""
    try:
        entries = TemplatesFile.model_validate(data or {}).templates
    except ValidationError as error:
        raise ValueError("; ".join(f"{where}: {sentence}" for where, sentence in plain_errors(error))) from error
    ids = [entry.id for entry in entries]
    repeated = sorted({identifier for identifier in ids if ids.count(identifier) > 1})
    if repeated:
        raise ValueError(f"templates: identifiant répété : {', '.join(repeated)}")
    return [ReplyTemplate(entry.id, entry.title, entry.body.strip(), tuple(entry.services), tuple(entry.demarches))
            for entry in entries]


def load(path: Path) -> list[ReplyTemplate]:
    if not path.is_file():
        return []
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def offered(templates: list[ReplyTemplate], service: str | None, demarche: str) -> list[ReplyTemplate]:
    return [template for template in templates
            if (not template.services or service in template.services)
            and (not template.demarches or demarche in template.demarches)]


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: ReplyTemplate, values: dict[str, str]) -> str:
    """The body with its placeholders replaced; braces that are not placeholders are kept as written."""
    return re.sub(r"\{([a-z_]+)\}", lambda match: _KeepUnknown(values)[match.group(1)], template.body)
