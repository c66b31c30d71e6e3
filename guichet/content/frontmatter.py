"""Split a Markdown file into its YAML front matter and its body."""
import re

import yaml


class FrontMatterError(ValueError):
    pass


def split(text: str) -> tuple[dict, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        raise FrontMatterError("le fichier doit commencer par « --- » suivi de l'en-tête YAML")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise FrontMatterError("l'en-tête YAML n'est pas fermé par « --- »")
    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError as error:
        raise FrontMatterError(f"en-tête YAML illisible : {error}") from error
    if not isinstance(meta, dict):
        raise FrontMatterError("l'en-tête YAML doit être une liste de clés « clé: valeur »")
    body_start_line = text[: end + 5].count("\n") + 1
    return meta, text[end + 5:], body_start_line


# The order of the keys in a fiche's header, as in site/content/README.md.
FICHE_KEYS = ("slug", "title", "summary", "life_events", "audience", "owner_service", "source", "verified",
              "related_demarches", "related_fiches", "keywords", "images", "archived")


def compose(meta: dict, body: str) -> str:
    """A fiche file from its header and body, in the seed's layout: lists of words inline, sources and
    images as blocks, a blank line between the header and the text, one newline at the end."""
    lines = ["---"]
    for key in FICHE_KEYS:
        if key in meta:
            lines.append(_yaml_line(key, meta[key]))
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body.replace("\r\n", "\n").strip("\n") + "\n"


class _IndentedDumper(yaml.SafeDumper):
    """Block lists indented under their key, as the seed files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _yaml_line(key: str, value) -> str:
    if key == "summary" and isinstance(value, str) and value.strip() and "\n" not in value.strip():
        sentences = re.split(r"(?<=[.!?]) +", value.strip())
        return "summary: >-\n" + "\n".join(f"  {sentence.strip()}" for sentence in sentences)
    inline = isinstance(value, list) and not any(isinstance(item, (dict, list)) for item in value)
    if inline:
        return f"{key}: " + yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return yaml.dump({key: value}, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=110).rstrip("\n")


def body_offset(text: str) -> int:
    """How many lines come before the body as an editor sees it (header, then blank lines)."""
    _meta, body, start_line = split(text)
    return start_line - 1 + (len(body) - len(body.lstrip("\n")))
