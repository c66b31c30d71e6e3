"""Read and validate every fiche and life event; refuse the whole set on any problem.

Validation collects all problems before failing so an editor sees the full list at once,
and nothing reaches the database unless the whole content set is valid.
"""
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from guichet.content.errors import ContentError
from guichet.content.frontmatter import FrontMatterError, split

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGS = ("fr", "en")
AUDIENCES = {"particulier", "famille", "jeune", "senior", "handicap", "professionnel", "association"}
PHASES = ("avant", "jour_j", "apres")
MAX_IMAGE_BYTES = 15 * 1024
STEP_KINDS = ("fiche", "demarche")
MAX_DEADLINE_LENGTH = 90
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


def _parse(path: Path, problems) -> tuple[dict, str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append((str(path), "fichier", "le fichier n'est pas en UTF-8"))
        return None
    try:
        meta, body, _line = split(text)
    except FrontMatterError as error:
        problems.append((str(path), "en-tête", str(error)))
        return None
    return meta, body, text


def _require_str(meta: dict, key: str, path: Path, problems, max_length: int = 200) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append((str(path), key, "champ obligatoire manquant ou vide"))
        return ""
    if len(value) > max_length:
        problems.append((str(path), key, f"trop long ({len(value)} caractères, maximum {max_length})"))
    return value.strip()


def _str_list(meta: dict, key: str, path: Path, problems) -> list[str]:
    value = meta.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append((str(path), key, "doit être une liste de textes"))
        return []
    return value


def _check_slug(meta: dict, path: Path, problems) -> str:
    slug = _require_str(meta, "slug", path, problems, 80)
    if slug and not SLUG_RE.match(slug):
        problems.append((str(path), "slug", "uniquement des lettres minuscules sans accent, des chiffres et des tirets"))
    if slug and slug != path.stem:
        problems.append((str(path), "slug", f"« {slug} » doit être identique au nom du fichier « {path.stem} »"))
    return slug


def _read_event(path: Path, lang: str, problems) -> EventSource | None:
    parsed = _parse(path, problems)
    if not parsed:
        return None
    meta, body, text = parsed
    slug = _check_slug(meta, path, problems)
    title = _require_str(meta, "title", path, problems, 120)
    pictogram = _require_str(meta, "pictogram", path, problems, 120)
    position = meta.get("order")
    if not isinstance(position, int):
        problems.append((str(path), "order", "doit être un nombre entier"))
        position = 0
    phases = meta.get("phases") or {}
    if not isinstance(phases, dict) or set(phases) - set(PHASES):
        problems.append((str(path), "phases", f"clés autorisées : {', '.join(PHASES)}"))
        phases = {}
    clean_phases = {}
    for phase in PHASES:
        items = [_read_step(item, path, f"phases.{phase}[{index}]", problems)
                 for index, item in enumerate(phases.get(phase) or [])]
        clean_phases[phase] = [item for item in items if item]
        _check_urgent_first(clean_phases[phase], path, f"phases.{phase}", problems)
    if not body.strip():
        problems.append((str(path), "introduction", "le texte d'introduction est vide"))
    return EventSource(slug, lang, title, pictogram, position, clean_phases, body.strip(), _digest(text), path)


def _read_step(item, path: Path, where: str, problems) -> dict | None:
    """One entry of a phase: a fiche or a démarche, with the deadline the law sets, if any."""
    kinds = [kind for kind in STEP_KINDS if isinstance(item, dict) and kind in item]
    if len(kinds) != 1 or set(item) - {kinds[0], "delai", "obligatoire"}:
        problems.append((str(path), where, "écrivez « - fiche: slug » ou « - demarche: slug », "
                                           "suivi au besoin de « delai: » et « obligatoire: »"))
    if len(kinds) != 1:
        return None
    step = {"kind": kinds[0], "slug": str(item[kinds[0]])}
    deadline = item.get("delai")
    if deadline is not None:
        if not isinstance(deadline, str) or not deadline.strip() or len(deadline) > MAX_DEADLINE_LENGTH:
            problems.append((str(path), f"{where}.delai",
                             f"le délai est une phrase courte ({MAX_DEADLINE_LENGTH} caractères au plus), "
                             "par exemple « Dans les 5 jours après la naissance »"))
        else:
            step["delai"] = deadline.strip()
    mandatory = item.get("obligatoire", False)
    if not isinstance(mandatory, bool):
        problems.append((str(path), f"{where}.obligatoire", "écrivez « obligatoire: true » ou « obligatoire: false »"))
    elif mandatory and "delai" not in step:
        problems.append((str(path), f"{where}.obligatoire", "une étape obligatoire doit dire son délai avec « delai: »"))
    elif mandatory:
        step["obligatoire"] = True
    return step


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


def _read_fiche(path: Path, lang: str, references: References, problems) -> FicheSource | None:
    parsed = _parse(path, problems)
    if not parsed:
        return None
    meta, body, text = parsed
    slug = _check_slug(meta, path, problems)
    title = _require_str(meta, "title", path, problems, 120)
    summary = _require_str(meta, "summary", path, problems, 400)
    if summary and len(re.findall(r"[.!?](?:\s|$)", summary)) > 3:
        problems.append((str(path), "summary", "« En bref » doit tenir en 3 phrases courtes au plus"))
    _str_list(meta, "life_events", path, problems)
    audience = _str_list(meta, "audience", path, problems)
    for unknown in set(audience) - AUDIENCES:
        problems.append((str(path), "audience", f"public inconnu « {unknown} » (autorisés : {', '.join(sorted(AUDIENCES))})"))
    owner = _require_str(meta, "owner_service", path, problems, 80)
    if owner and owner not in references.services:
        problems.append((str(path), "owner_service", f"service inconnu « {owner} » dans le fichier de réglages"))
    _check_sources(meta, path, problems)
    verified = meta.get("verified")
    if not isinstance(verified, datetime.date):
        problems.append((str(path), "verified", "date obligatoire au format AAAA-MM-JJ"))
    for demarche in _str_list(meta, "related_demarches", path, problems):
        if demarche not in references.demarches:
            problems.append((str(path), "related_demarches", f"démarche inconnue « {demarche} »"))
    _str_list(meta, "related_fiches", path, problems)
    _str_list(meta, "keywords", path, problems)
    _check_images(meta.get("images"), path, references.images_dir, problems)
    _check_sections(body, lang, path, problems)
    normalised = dict(meta, verified=str(verified), title=title, summary=summary)
    return FicheSource(slug, lang, normalised, body, text, _digest(text), path)


def _check_sources(meta: dict, path: Path, problems) -> None:
    sources = meta.get("source")
    if not isinstance(sources, list) or not sources:
        problems.append((str(path), "source", "au moins une source (loi ou page officielle) est obligatoire"))
        return
    for index, source in enumerate(sources):
        if not (isinstance(source, dict) and isinstance(source.get("title"), str)
                and isinstance(source.get("url"), str) and source["url"].startswith("https://")):
            problems.append((str(path), f"source[{index}]", "chaque source a un « title » et une « url » en https://"))


def _check_images(images, path: Path, images_dir: Path, problems) -> None:
    if not isinstance(images, list) or not images:
        problems.append((str(path), "images", "au moins une image ou un pictogramme est obligatoire"))
        return
    for index, image in enumerate(images):
        where = f"images[{index}]"
        if not isinstance(image, dict) or not isinstance(image.get("file"), str):
            problems.append((str(path), where, "chaque image a un champ « file »"))
            continue
        decorative = image.get("decorative") is True
        alt = image.get("alt")
        if not decorative and not (isinstance(alt, str) and alt.strip()):
            problems.append((str(path), f"{where}.alt", f"l'image « {image['file']} » n'a pas de texte alternatif "
                                                        "(ajoutez « alt » ou « decorative: true »)"))
        _check_image_file(images_dir, image["file"], str(path), f"{where}.file", problems)


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
