"""Read and validate every fiche and life event; refuse the whole set on any problem.

Validation collects all problems before failing so an editor sees the full list at once,
and nothing reaches the database unless the whole content set is valid. The front matter's
format is the pydantic models of schema.py; this module adds the body's sections and what
points outside a file (services, démarches, fiches, events, images, links).
"""
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from guichet.content import schema
from guichet.content.errors import ContentError
from guichet.content.frontmatter import FrontMatterError, split
from lexicon.datafiles import plain_errors

LANGS = ("fr", "en")
MAX_IMAGE_BYTES = 15 * 1024
# Section headings in their required order, per language; the first two are mandatory.
SECTIONS = {
    "fr": ["Qui est concerné", "Ce que vous devez faire", "Documents à préparer", "Combien ça coûte", "Délai",
           "Où s'adresser"],
    "en": ["Who is concerned", "What you need to do", "Documents to prepare", "How much it costs", "How long it takes",
           "Where to go"],
}
REQUIRED_SECTIONS = 2
INTERNAL_LINK_RE = re.compile(r"\]\((/[^)\s]*)\)")
STATIC_PAGES = {"/", "/aide", "/glossaire", "/recherche", "/evenements", "/fiches", "/demarches", "/plan-du-site",
                "/accessibilite", "/donnees-personnelles", "/signalements/suivi-public", "/suivi", "/reprendre"}


@dataclass(frozen=True)
class FicheSource:
    slug: str
    lang: str
    meta: dict
    body_md: str
    source_text: str
    content_hash: str
    path: Path
    from_file: bool = True  # False: written in the back office


@dataclass(frozen=True)
class EventSource:
    slug: str
    lang: str
    title: str
    pictogram: str
    position: int
    phases: dict
    intro_md: str
    content_hash: str
    path: Path


@dataclass
class ContentSet:
    fiches: list[FicheSource] = field(default_factory=list)
    events: list[EventSource] = field(default_factory=list)

    def fiche_slugs(self, lang: str = "fr") -> set[str]:
        return {fiche.slug for fiche in self.fiches if fiche.lang == lang}

    def event_slugs(self, lang: str = "fr") -> set[str]:
        return {event.slug for event in self.events if event.lang == lang}


@dataclass(frozen=True)
class References:
    """What content may point at outside itself."""

    services: set[str]
    demarches: set[str]
    glossary: set[str]
    images_dir: Path


def read_content(content_dir: Path, references: References) -> ContentSet:
    """Parse and validate all content under content_dir; raise ContentError listing every problem."""
    problems: list[tuple[str, str, str]] = []
    content = ContentSet()
    for lang in LANGS:
        lang_dir = content_dir / lang
        if not lang_dir.is_dir():
            continue
        for path in sorted((lang_dir / "evenements").glob("*.md")):
            event = _read_event(path, lang, problems)
            if event:
                content.events.append(event)
        for path in sorted(lang_dir.glob("*.md")):
            fiche = _read_fiche(path, lang, references, problems)
            if fiche:
                content.fiches.append(fiche)
    if not content.fiches:
        problems.append((str(content_dir), "fr", "aucune fiche trouvée"))
    _check_cross_references(content, references, problems)
    if problems:
        raise ContentError(problems)
    return content


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(path: Path, problems) -> tuple[dict, str, str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append((str(path), "fichier", "le fichier n'est pas en UTF-8"))
        return None
    return _parse_text(text, path, problems)


def _parse_text(text: str, path: Path, problems) -> tuple[dict, str, str] | None:
    try:
        meta, body, _line = split(text)
    except FrontMatterError as error:
        problems.append((str(path), "en-tête", str(error)))
        return None
    return meta, body, text


def _structure(model, meta: dict, path: Path, problems) -> object | None:
    """Check the front matter against its model; every problem is listed, none is raised."""
    try:
        return model.model_validate(meta)
    except ValidationError as error:
        problems.extend((str(path), key or "en-tête", sentence) for key, sentence in plain_errors(error))
        return None


def _check_slug(slug: str, path: Path, problems) -> None:
    if slug != path.stem:
        problems.append((str(path), "slug", f"« {slug} » doit être identique au nom du fichier « {path.stem} »"))


def _read_event(path: Path, lang: str, problems) -> EventSource | None:
    """Structurally invalid events still join the set, so the fiches they list are not reported too."""
    parsed = _parse(path, problems)
    if not parsed:
        return None
    meta, body, text = parsed
    if not body.strip():
        problems.append((str(path), "introduction", "le texte d'introduction est vide"))
    event = _structure(schema.Event, meta, path, problems)
    if event is None:
        slug = meta.get("slug") if isinstance(meta.get("slug"), str) else path.stem
        return EventSource(slug, lang, "", "", 0, _valid_steps(meta.get("phases")), body.strip(), _digest(text), path)
    _check_slug(event.slug, path, problems)
    phases = {phase: [item.step() for item in getattr(event.phases, phase)] for phase in schema.PHASES}
    for phase, steps in phases.items():
        _check_urgent_first(steps, path, f"phases.{phase}", problems)
    return EventSource(event.slug, lang, event.title, event.pictogram, event.order, phases, body.strip(),
                       _digest(text), path)


def _valid_steps(raw_phases) -> dict[str, list[dict]]:
    """The targets of an invalid event's steps, as far as they can be read (problems are already reported)."""
    phases = raw_phases if isinstance(raw_phases, dict) else {}
    steps: dict[str, list[dict]] = {}
    for phase in schema.PHASES:
        items = phases.get(phase) if isinstance(phases.get(phase), list) else []
        steps[phase] = [{"kind": kind, "slug": item[kind]} for item in items if isinstance(item, dict)
                        for kind in schema.STEP_KINDS if isinstance(item.get(kind), str)]
    return steps


def _urgency(step: dict) -> int:
    """0: required by law with a deadline; 1: has a deadline; 2: no deadline."""
    return 0 if step.get("obligatoire") else 1 if "delai" in step else 2


def _check_urgent_first(steps: list[dict], path: Path, where: str, problems) -> None:
    """Within a phase, what is required comes first, then what has a deadline, then the rest.

    The file order is the page order, so editors see what citizens see; the loader only checks it.
    """
    for before, after in zip(steps, steps[1:]):
        if _urgency(after) < _urgency(before):
            problems.append((str(path), where, f"placez « {after['kind']}: {after['slug']} » avant "
                                               f"« {before['kind']}: {before['slug']} » : les étapes obligatoires "
                                               "viennent d'abord, puis celles qui ont un délai, puis les autres"))


def _usable_links(meta: dict) -> dict:
    """The front matter of an invalid fiche, without link lists the cross-reference checks cannot read."""
    return {key: value for key, value in meta.items()
            if key not in ("life_events", "related_fiches")
            or (isinstance(value, list) and all(isinstance(item, str) for item in value))}


def _read_fiche(path: Path, lang: str, references: References, problems, text: str | None = None
                ) -> FicheSource | None:
    """Structurally invalid fiches still join the set, so links to them are not reported as broken too.

    `text` is a fiche written in the back office, checked as if it were the file at `path`."""
    parsed = _parse(path, problems) if text is None else _parse_text(text, path, problems)
    if not parsed:
        return None
    meta, body, text = parsed
    _check_sections(body, lang, path, problems)
    fiche = _structure(schema.Fiche, meta, path, problems)
    if fiche is None:
        slug = meta.get("slug") if isinstance(meta.get("slug"), str) else path.stem
        return FicheSource(slug, lang, _usable_links(meta), body, text, _digest(text), path)
    _check_slug(fiche.slug, path, problems)
    if fiche.owner_service not in references.services:
        problems.append((str(path), "owner_service",
                         f"service inconnu « {fiche.owner_service} » dans le fichier de réglages"))
    for demarche in fiche.related_demarches:
        if demarche not in references.demarches:
            problems.append((str(path), "related_demarches", f"démarche inconnue « {demarche} »"))
    for index, image in enumerate(fiche.images):
        _check_image_file(references.images_dir, image.file, str(path), f"images[{index}].file", problems)
    normalised = dict(meta, verified=fiche.verified.isoformat(), title=fiche.title, summary=fiche.summary)
    return FicheSource(fiche.slug, lang, normalised, body, text, _digest(text), path)


def _check_image_file(images_dir: Path, name: str, path: str, where: str, problems) -> None:
    image_path = images_dir / name
    if "/" in name or not image_path.is_file():
        problems.append((path, where, f"image introuvable « {name} » dans {images_dir}"))
    elif image_path.stat().st_size > MAX_IMAGE_BYTES:
        problems.append((path, where, f"image trop lourde ({image_path.stat().st_size} octets, maximum {MAX_IMAGE_BYTES})"))


def _check_sections(body: str, lang: str, path: Path, problems) -> None:
    expected = SECTIONS[lang]
    headings = re.findall(r"^## +(.+?)\s*$", body, flags=re.MULTILINE)
    positions = []
    for heading in headings:
        if heading not in expected:
            problems.append((str(path), "sections", f"titre de section inconnu « {heading} » (autorisés : {' ; '.join(expected)})"))
            return
        positions.append(expected.index(heading))
    if positions != sorted(set(positions)):
        problems.append((str(path), "sections", f"les sections doivent suivre cet ordre, sans doublon : {' ; '.join(expected)}"))
    for required in expected[:REQUIRED_SECTIONS]:
        if required not in headings:
            problems.append((str(path), "sections", f"section obligatoire manquante « {required} »"))
    steps = _section_text(body, expected[1])
    if steps is not None and not re.search(r"^\s*1\. ", steps, flags=re.MULTILINE):
        problems.append((str(path), "sections", f"« {expected[1]} » doit contenir une liste numérotée d'étapes"))


def _section_text(body: str, heading: str) -> str | None:
    match = re.search(rf"^## +{re.escape(heading)}\s*$(.*?)(?=^## |\Z)", body, flags=re.MULTILINE | re.DOTALL)
    return match.group(1) if match else None


def _check_cross_references(content: ContentSet, references: References, problems) -> None:
    """Links, life events and images that point outside a file must point at something that exists."""
    fiche_slugs = content.fiche_slugs()
    event_slugs = content.event_slugs()
    listed: dict[str, set[str]] = {}
    for event in content.events:
        if event.pictogram:  # empty when the event's header is invalid, which is already reported
            _check_image_file(references.images_dir, event.pictogram, str(event.path), "pictogram", problems)
        if event.lang != "fr" and event.slug not in event_slugs:
            problems.append((str(event.path), "slug", "traduction d'un événement qui n'existe pas en français"))
        for phase, items in event.phases.items():
            for item in items:
                known = fiche_slugs if item["kind"] == "fiche" else references.demarches
                if item["slug"] not in known:
                    problems.append((str(event.path), f"phases.{phase}", f"{item['kind']} inconnue « {item['slug']} »"))
                if item["kind"] == "fiche" and event.lang == "fr":
                    listed.setdefault(item["slug"], set()).add(event.slug)
        _check_links(event.intro_md, event.path, fiche_slugs, event_slugs, references, problems)
    for fiche in content.fiches:
        if fiche.lang != "fr" and fiche.slug not in fiche_slugs:
            problems.append((str(fiche.path), "slug", "traduction d'une fiche qui n'existe pas en français"))
        for event_slug in fiche.meta.get("life_events") or []:
            if event_slug not in event_slugs:
                problems.append((str(fiche.path), "life_events", f"événement de vie inconnu « {event_slug} »"))
            elif fiche.lang == "fr" and event_slug not in listed.get(fiche.slug, set()):
                problems.append((str(fiche.path), "life_events",
                                 f"l'événement « {event_slug} » ne liste pas cette fiche dans ses phases"))
        if fiche.lang == "fr":
            for event_slug in listed.get(fiche.slug, set()) - set(fiche.meta.get("life_events") or []):
                problems.append((str(fiche.path), "life_events",
                                 f"l'événement « {event_slug} » liste cette fiche : ajoutez-le à « life_events »"))
        for related in fiche.meta.get("related_fiches") or []:
            if related not in fiche_slugs or related == fiche.slug:
                problems.append((str(fiche.path), "related_fiches", f"fiche inconnue « {related} »"))
        replacement = (fiche.meta.get("archived") or {}).get("replacement")
        if replacement is not None and (replacement not in fiche_slugs or replacement == fiche.slug):
            problems.append((str(fiche.path), "archived", f"fiche de remplacement inconnue « {replacement} »"))
        _check_links(fiche.body_md, fiche.path, fiche_slugs, event_slugs, references, problems)


def _check_links(markdown: str, path: Path, fiche_slugs, event_slugs, references: References, problems) -> None:
    targets = {"fiches": fiche_slugs, "evenements": event_slugs, "demarches": references.demarches,
               "glossaire": references.glossary}
    for link in INTERNAL_LINK_RE.findall(markdown):
        url = link.split("#")[0]
        parts = url.strip("/").split("/")
        if url in STATIC_PAGES:
            continue
        if len(parts) == 2 and parts[0] in targets and parts[1] in targets[parts[0]]:
            continue
        problems.append((str(path), "lien", f"lien interne cassé « {link} »"))


def check_fiche_text(text: str, slug: str, lang: str, references: References, others: ContentSet
                     ) -> tuple[FicheSource | None, list[tuple[str, str]]]:
    """Validate one fiche written in the back office among the other content (as loaded in the database).

    The same checks as a file gets from `read_content`; returns the fiche and its problems as (key, sentence).
    """
    path = Path(lang) / f"{slug}.md"
    problems: list[tuple[str, str, str]] = []
    fiche = _read_fiche(path, lang, references, problems, text)
    content = ContentSet([source for source in others.fiches if (source.slug, source.lang) != (slug, lang)],
                         others.events)
    if fiche is not None:
        content.fiches.append(fiche)
        _check_cross_references(content, references, problems)
    return fiche, [(where, sentence) for where_path, where, sentence in problems if where_path == str(path)]
