"""Reply templates (site/settings/reply_templates.yaml): data, so a town edits them without code.

A template is offered for a request when its `services` and `demarches` lists (when present) contain the
request's service and démarche. Placeholders are filled from the request; an unknown one stays as written.
"""
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

PLACEHOLDERS = ("reference", "demarche", "service", "agent")
ID_RE = re.compile(r"[a-z0-9-]{1,40}")


@dataclass(frozen=True)
class ReplyTemplate:
    id: str
    title: str
    body: str
    services: tuple[str, ...] = ()
    demarches: tuple[str, ...] = ()


def parse(data: dict | None) -> list[ReplyTemplate]:
    """The templates of the file's content; raises ValueError naming the faulty entry."""
    found, seen = [], set()
    for position, entry in enumerate((data or {}).get("templates") or [], start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in ("id", "title", "body")):
            raise ValueError(f"reply template {position}: id, title and body are required texts")
        if not ID_RE.fullmatch(entry["id"]) or entry["id"] in seen:
            raise ValueError(f"reply template {position}: id {entry['id']!r} is invalid or repeated")
        seen.add(entry["id"])
        found.append(ReplyTemplate(entry["id"], entry["title"], entry["body"].strip(),
                                   tuple(entry.get("services") or ()), tuple(entry.get("demarches") or ())))
    return found


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
