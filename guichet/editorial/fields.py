"""A fiche's header as form fields and back: lists as comma-separated words, sources and images one a line.

Pure functions: the form shows `fields_from_meta`, and what is typed becomes the header through
`meta_from_fields`; the loader's validation then says, in French, what is wrong with it.
"""
import datetime
import re
from dataclasses import dataclass

DECORATIVE = "décorative"
SEPARATOR = "|"


@dataclass(frozen=True)
class FicheFields:
    title: str = ""
    summary: str = ""
    life_events: str = ""
    audience: str = ""
    owner_service: str = ""
    sources: str = ""
    verified: str = ""
    related_demarches: str = ""
    related_fiches: str = ""
    keywords: str = ""
    images: str = ""


class FieldProblem(ValueError):
    """A field typed in a form that cannot become a header value; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip()]


def _pair(line: str) -> tuple[str, str]:
    first, _sep, second = line.partition(SEPARATOR)
    return first.strip(), second.strip()


def meta_from_fields(slug: str, fields: FicheFields) -> dict:
    """The header of a fiche from its form; raises FieldProblem for a line or a date that cannot be read."""
    meta = {"slug": slug, "title": fields.title.strip(), "summary": " ".join(fields.summary.split()),
            "life_events": _words(fields.life_events), "audience": _words(fields.audience),
            "owner_service": fields.owner_service.strip()}
    sources = []
    for line in _lines(fields.sources):
        title, url = _pair(line)
        if not title or not url:
            raise FieldProblem("sources", f"Écrivez chaque source sur une ligne : « titre | https://… » (ligne « {line} »).")
        sources.append({"title": title, "url": url})
    meta["source"] = sources
    try:
        meta["verified"] = datetime.date.fromisoformat(fields.verified.strip())
    except ValueError:
        raise FieldProblem("verified", "Écrivez la date de vérification au format AAAA-MM-JJ, "
                                       "par exemple 2026-12-01.") from None
    meta["related_demarches"] = _words(fields.related_demarches)
    meta["related_fiches"] = _words(fields.related_fiches)
    meta["keywords"] = _words(fields.keywords)
    images = []
    for line in _lines(fields.images):
        name, alt = _pair(line)
        if not name or not alt:
            raise FieldProblem("images", "Écrivez chaque image sur une ligne : « fichier.svg | ce que montre l'image » "
                                         f"ou « fichier.svg | {DECORATIVE} » (ligne « {line} »).")
        images.append({"file": name, "decorative": True} if alt.lower() == DECORATIVE else {"file": name, "alt": alt})
    meta["images"] = images
    return meta


def fields_from_meta(meta: dict) -> FicheFields:
    """The form of an existing header; values the form cannot show are shown as text."""
    def words(key: str) -> str:
        value = meta.get(key) or []
        return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)

    sources = [f"{item.get('title', '')} {SEPARATOR} {item.get('url', '')}"
               for item in meta.get("source") or [] if isinstance(item, dict)]
    images = [f"{item.get('file', '')} {SEPARATOR} {DECORATIVE if item.get('decorative') else item.get('alt', '')}"
              for item in meta.get("images") or [] if isinstance(item, dict)]
    return FicheFields(title=str(meta.get("title") or ""), summary=str(meta.get("summary") or "").strip(),
                       life_events=words("life_events"), audience=words("audience"),
                       owner_service=str(meta.get("owner_service") or ""), sources="\n".join(sources),
                       verified=str(meta.get("verified") or ""), related_demarches=words("related_demarches"),
                       related_fiches=words("related_fiches"), keywords=words("keywords"), images="\n".join(images))


def field_of(key: str) -> str:
    """The form field a loader problem is about ("source[0].url" → "sources"), else "body"."""
    root = re.split(r"[.\[]", key, maxsplit=1)[0]
    return {"source": "sources", "summary": "summary", "title": "title", "life_events": "life_events",
            "audience": "audience", "owner_service": "owner_service", "verified": "verified",
            "related_demarches": "related_demarches", "related_fiches": "related_fiches", "keywords": "keywords",
            "images": "images"}.get(root, "body")
