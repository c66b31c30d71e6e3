"""Démarche definitions: the schema, loader and validator of site/forms/*.yaml.

One YAML file describes one démarche (an online form); one engine walks every definition.
The loader refuses anything it does not understand, so a typo in a definition is reported
with its file and key path instead of silently changing the form the public sees.
Pure Python on purpose: the `flask demarches check` command, the tests and the web engine
all use the same rules. The format is documented for editors in site/forms/README.md.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from guichet.content.textfold import fold

logger = logging.getLogger("guichet.demarches")

QUESTION_TYPES = ("text", "textarea", "email", "phone", "number", "date", "address",
                  "radios", "checkboxes", "select", "yesno", "file")
CHOICE_TYPES = ("radios", "checkboxes", "select", "yesno")
IMPLICIT_DECISIONS = ("acceptance", "rejection", "none")
IDENTITY_KINDS = ("individual", "company", "association", "any")
DATE_CONSTRAINTS = ("past", "future")
INPUTMODES = ("none", "text", "decimal", "numeric", "tel", "search", "email", "url")
FILE_FORMATS = ("pdf", "jpeg", "png")

RESERVED_PREFIX = "identite_"  # ids of the identity pages the engine inserts itself
DONT_KNOW = "je-ne-sais-pas"   # the answer stored when "Je ne sais pas" is chosen
YES, NO = "oui", "non"         # the answers stored for a yesno question
MIN_SELECT_OPTIONS = 8         # below this, radios are easier to use than a drop-down list
MAX_FILE_MB = 10               # stays under the app's MAX_CONTENT_LENGTH
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000, "email": 254}
FRENCH_PHONE_PATTERN = r"(?:0|\+33 ?)[1-9](?:[ .]?[0-9]{2}){4}"
FRENCH_PHONE_MESSAGE = ("Entrez un numéro de téléphone français de 10 chiffres, "
                        "par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OPTION_VALUE_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

# Autofill field names from the HTML Living Standard (4.10.18.7.1 Autofill).
AUTOFILL_FIELDS = frozenset("""
    name honorific-prefix given-name additional-name family-name honorific-suffix nickname
    username new-password current-password one-time-code organization-title organization
    street-address address-line1 address-line2 address-line3 address-level4 address-level3
    address-level2 address-level1 country country-name postal-code cc-name cc-given-name
    cc-additional-name cc-family-name cc-number cc-exp cc-exp-month cc-exp-year cc-csc cc-type
    transaction-currency transaction-amount language bday bday-day bday-month bday-year sex url
    photo""".split())
AUTOFILL_CONTACT_FIELDS = frozenset("""
    tel tel-country-code tel-national tel-area-code tel-local tel-local-prefix tel-local-suffix
    tel-extension email impp""".split())
AUTOFILL_CONTACT_HINTS = ("home", "work", "mobile", "fax", "pager")
AUTOFILL_ADDRESS_HINTS = ("shipping", "billing")

TOP_REQUIRED = ("slug", "title", "description", "what_you_need", "estimated_minutes", "service",
                "legal", "privacy", "identity", "declaration", "pages")
TOP_OPTIONAL = ("life_events", "fiches", "after_submit", "popular", "identity_prefill")
SERVICE_FIELDS = ("designation", "address", "email", "phone", "hours")
LEGAL_KEYS = ("implicit", "duration", "reference", "appeal", "expected_processing")
PRIVACY_FIELDS = ("controller", "purpose", "legal_basis", "recipients", "retention", "rights")
PAGE_KEYS = ("id", "title", "questions", "when", "repeat")
REPEAT_KEYS = ("id", "item_label", "add_label", "min", "max")
OPTION_KEYS = ("value", "label", "hint")
LINK_KEYS = ("fiche", "text")
CONDITION_KEYS = ("question", "equals", "in")
QUESTION_COMMON_KEYS = ("id", "type", "label", "hint", "required")
# Keys each question type accepts besides the common ones.
QUESTION_TYPE_KEYS = {
    "text": ("min_length", "max_length", "pattern", "pattern_message", "autocomplete", "inputmode",
             "dont_know", "sensitive"),
    "textarea": ("min_length", "max_length", "autocomplete", "inputmode", "dont_know", "sensitive"),
    "email": ("min_length", "max_length", "autocomplete", "dont_know", "sensitive"),
    "phone": ("pattern", "pattern_message", "autocomplete", "dont_know", "sensitive"),
    "number": ("min", "max", "autocomplete", "inputmode", "dont_know", "sensitive"),
    "date": ("date", "autocomplete", "dont_know", "sensitive"),
    "address": ("autocomplete", "dont_know", "sensitive"),
    "radios": ("options", "dont_know"),
    "checkboxes": ("options",),
    "select": ("options", "autocomplete", "dont_know"),
    "yesno": ("dont_know",),
    "file": ("accept", "max_size_mb"),
}
QUESTION_KEYS = frozenset(QUESTION_COMMON_KEYS).union(*QUESTION_TYPE_KEYS.values())


class DefinitionError(Exception):
    """A problem in one definition file, worded for the editor who has to fix it."""

    def __init__(self, path: str, key: str, problem: str):
        self.path = path
        self.key = key
        self.problem = problem
        super().__init__(f"{path}: {key}: {problem}")


@dataclass(frozen=True)
class Service:
    designation: str
    address: str
    email: str
    phone: str
    hours: str
    # The key in the settings file's `services`: the back-office queue the requests go to (None when the
    # definition writes its service in full).
    key: str | None = None


@dataclass(frozen=True)
class LegalRegime:
    """What the silence of the administration means, and how to contest a decision."""

    implicit: str
    duration_days: int | None
    duration_months: int | None
    reference: str | None
    appeal: str | None
    expected_processing: str | None


@dataclass(frozen=True)
class PrivacyNotice:
    """The GDPR art. 13 information; the engine lists required and optional answers itself."""

    controller: str
    purpose: str
    legal_basis: str
    recipients: str
    retention: str
    rights: str


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None


@dataclass(frozen=True)
class Validation:
    """Answer checks. `pattern` must match the whole answer; `max_bytes` is 0 for non-file questions."""

    min_length: int | None
    max_length: int | None
    pattern: str | None
    pattern_message: str | None
    min: int | float | None
    max: int | float | None
    date: str | None
    accept: tuple[str, ...]
    max_bytes: int


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str | None
    required: bool
    validation: Validation
    autocomplete: str | None
    inputmode: str | None
    options: tuple[Option, ...]
    dont_know: bool
    sensitive: bool


@dataclass(frozen=True)
class Condition:
    """Show a page only when an earlier answer is one of `values`."""

    question: str
    values: tuple[str, ...]

    def matches(self, answers: Mapping[str, object]) -> bool:
        """A missing answer never matches: its page was skipped, so this one is skipped too."""
        answer = answers.get(self.question)
        if isinstance(answer, (list, tuple, set, frozenset)):
            return any(str(item) in self.values for item in answer)
        return answer is not None and str(answer) in self.values


@dataclass(frozen=True)
class Repeat:
    """A page asked once per item (a child, a vehicle…), with a summary to add or remove items."""

    id: str
    item_label: str
    add_label: str
    min: int
    max: int


@dataclass(frozen=True)
class Page:
    """One screen. `title` is None for a single-question page: the label is the page heading."""

    id: str
    title: str | None
    questions: tuple[Question, ...]
    when: Condition | None
    repeat: Repeat | None


@dataclass(frozen=True)
class Link:
    """A fiche proposed on the receipt page, with an optional sentence saying why."""

    fiche: str
    text: str | None


@dataclass(frozen=True)
class Demarche:
    slug: str
    title: str
    description: str
    what_you_need: tuple[str, ...]
    estimated_minutes: int
    life_events: tuple[str, ...]
    fiches: tuple[str, ...]
    service: Service
    legal: LegalRegime
    privacy: PrivacyNotice
    identity: str
    declaration: str
    pages: tuple[Page, ...]
    version: str
    path: str
    after_submit: tuple[Link, ...]
    popular: int
    # (identity question id, id of the earlier question that prefills it, or None: "none of them")
    identity_prefill: tuple[tuple[str, str | None], ...] = ()

    def all_questions(self) -> tuple[Question, ...]:
        """Every question from the YAML pages, in order (identity questions are the engine's)."""
        return tuple(question for page in self.pages for question in page.questions)

    def question(self, question_id: str) -> Question:
        for question in self.all_questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def page(self, page_id: str) -> Page:
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)


class Catalogue:
    """The démarches that loaded, and the errors of those that did not."""

    def __init__(self, demarches: list[Demarche], errors: list[DefinitionError]):
        self._by_slug = {demarche.slug: demarche for demarche in demarches}
        self.errors = errors

    def get(self, slug: str) -> Demarche | None:
        return self._by_slug.get(slug)

    def all(self) -> list[Demarche]:
        """Sorted by title the French way: accents and case do not change the order."""
        return sorted(self._by_slug.values(), key=lambda demarche: (fold(demarche.title), demarche.slug))

    def popular(self) -> list[Demarche]:
        listed = [demarche for demarche in self._by_slug.values() if demarche.popular > 0]
        return sorted(listed, key=lambda demarche: (demarche.popular, fold(demarche.title)))

    def slugs(self) -> set[str]:
        return set(self._by_slug)


def load_catalogue(forms_dir: Path, services: Mapping | None, *, strict: bool) -> Catalogue:
    """Load every site/forms/*.yaml. Non-strict mode skips broken files so the site stays up."""
    demarches, errors = [], []
    for path in sorted(Path(forms_dir).glob("*.yaml")):
        try:
            demarches.append(load_definition(path, services))
        except DefinitionError as error:
            if strict:
                raise
            logger.error("Démarche ignorée car sa définition est invalide : %s", error)
            errors.append(error)
    return Catalogue(demarches, errors)


def load_definition(path: Path, services: Mapping | None) -> Demarche:
    """Read and validate one definition; `services` is the `services` mapping of the settings file."""
    path = Path(path)
    root = _At(str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise root.error(f"fichier illisible ({error.strerror})") from error
    raw = _parse_yaml(data, root)
    return _build_demarche(raw, root, path, services or {}, hashlib.sha256(data).hexdigest()[:12])


# --- Reading the YAML -----------------------------------------------------------------------


@dataclass(frozen=True)
class _At:
    """Where we are in a file, to name the key path in error messages: pages[2].questions[0].type."""

    file: str
    key: str = ""

    def child(self, name: str) -> _At:
        return _At(self.file, f"{self.key}.{name}" if self.key else name)

    def item(self, index: int) -> _At:
        return _At(self.file, f"{self.key}[{index}]")

    def error(self, problem: str) -> DefinitionError:
        return DefinitionError(self.file, self.key or "(fichier)", problem)


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys, which PyYAML would silently overwrite."""

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        seen = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"la clé « {key} » est écrite deux fois", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _parse_yaml(data: bytes, at: _At) -> object:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise at.error("le fichier n'est pas enregistré en UTF-8") from error
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else "?"
        raise at.error(f"YAML illisible à la ligne {line} : {error.problem}") from error
    except yaml.YAMLError as error:
        raise at.error(f"YAML illisible : {error}") from error


# --- Small typed readers --------------------------------------------------------------------


def _mapping(value: object, at: _At, allowed: tuple[str, ...] | frozenset,
             required: tuple[str, ...] = ()) -> dict:
    """Check a mapping has only known keys and all required ones; unknown keys are usually typos."""
    if not isinstance(value, dict):
        raise at.error("doit contenir des clés (« clé: valeur »), une par ligne")
    for key in value:
        if key not in allowed:
            raise at.child(str(key)).error(
                f"clé inconnue « {key} ». Clés possibles ici : {', '.join(sorted(allowed))}")
    for key in required:
        if key not in value:
            raise at.child(key).error("clé obligatoire manquante")
    return value


def _text(mapping: dict, key: str, at: _At, *, required: bool = True) -> str | None:
    return _text_value(mapping.get(key), at.child(key), required=required)


def _text_value(value: object, at: _At, *, required: bool = True) -> str | None:
    if value is None:
        if required:
            raise at.error("texte obligatoire manquant")
        return None
    if isinstance(value, bool):
        raise at.error("YAML a lu « oui/non » (yes, no, on, off…) : mettez ce texte entre guillemets")
    if not isinstance(value, str) or not value.strip():
        raise at.error("doit être un texte non vide")
    return value.strip()


def _integer(mapping: dict, key: str, at: _At, *, default: int | None = None, required: bool = False,
             minimum: int | None = None, maximum: int | None = None) -> int | None:
    value = mapping.get(key, default)
    if value is None:
        if required:
            raise at.child(key).error("nombre entier obligatoire manquant")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise at.child(key).error("doit être un nombre entier")
    if minimum is not None and value < minimum:
        raise at.child(key).error(f"doit être au moins {minimum}")
    if maximum is not None and value > maximum:
        raise at.child(key).error(f"doit être au plus {maximum}")
    return value


def _number(mapping: dict, key: str, at: _At) -> int | float | None:
    value = mapping.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise at.child(key).error("doit être un nombre")
    return value


def _boolean(mapping: dict, key: str, at: _At, default: bool) -> bool:
    value = mapping.get(key, default)
    if not isinstance(value, bool):
        raise at.child(key).error("écrivez true (oui) ou false (non)")
    return value


def _choice(mapping: dict, key: str, at: _At, allowed: tuple[str, ...]) -> str:
    value = mapping.get(key)
    if value is None:
        raise at.child(key).error(f"clé obligatoire manquante. Choix possibles : {', '.join(allowed)}")
    if value not in allowed:
        raise at.child(key).error(f"« {value} » n'est pas possible. Choix possibles : {', '.join(allowed)}")
    return value


def _list(mapping: dict, key: str, at: _At, *, required: bool) -> list:
    value = mapping.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise at.child(key).error("doit être une liste non vide (une ligne « - » par élément)")
    return value


def _text_list(mapping: dict, key: str, at: _At, *, required: bool) -> tuple[str, ...]:
    items = _list(mapping, key, at, required=required)
    return tuple(_text_value(item, at.child(key).item(index)) for index, item in enumerate(items))


def _slug_list(mapping: dict, key: str, at: _At) -> tuple[str, ...]:
    slugs = _text_list(mapping, key, at, required=False)
    for index, slug in enumerate(slugs):
        if not SLUG_RE.match(slug):
            raise at.child(key).item(index).error(f"« {slug} » : lettres minuscules sans accent, chiffres et tirets")
        if slug in slugs[:index]:
            raise at.child(key).item(index).error(f"« {slug} » est déjà dans la liste")
    return slugs


def _identifier(mapping: dict, key: str, at: _At) -> str:
    """Ids name answers and URLs; `identite_*` belongs to the identity pages the engine adds."""
    value = _text(mapping, key, at)
    if value.startswith(RESERVED_PREFIX):
        raise at.child(key).error(
            f"« {value} » : les identifiants qui commencent par « {RESERVED_PREFIX} » sont réservés "
            "aux pages d'identité ajoutées par le moteur")
    if not ID_RE.match(value):
        raise at.child(key).error(
            f"« {value} » : commencez par une lettre minuscule, puis lettres minuscules sans accent, "
            "chiffres ou « _ » (40 caractères au plus)")
    return value


def is_autofill_token(value: str) -> bool:
    """True for a valid HTML autocomplete value: "on", "off" or [section-*] [shipping|billing]
    [home|work|mobile|fax|pager (contact fields only)] field-name [webauthn]."""
    tokens = value.split()
    if tokens in (["on"], ["off"]):
        return True
    if tokens and tokens[-1] == "webauthn":
        tokens.pop()
    if not tokens:
        return False
    field_name = tokens.pop()
    if field_name in AUTOFILL_CONTACT_FIELDS:
        if tokens and tokens[-1] in AUTOFILL_CONTACT_HINTS:
            tokens.pop()
    elif field_name not in AUTOFILL_FIELDS:
        return False
    if tokens and tokens[-1] in AUTOFILL_ADDRESS_HINTS:
        tokens.pop()
    if tokens and tokens[-1].startswith("section-") and len(tokens[-1]) > len("section-"):
        tokens.pop()
    return not tokens


# --- Building the definition ----------------------------------------------------------------

DEFAULT_AUTOCOMPLETE = {"email": "email", "phone": "tel"}
DEFAULT_INPUTMODE = {"email": "email", "phone": "tel", "number": "numeric"}


def _build_demarche(raw: object, at: _At, path: Path, services: Mapping, version: str) -> Demarche:
    raw = _mapping(raw, at, TOP_REQUIRED + TOP_OPTIONAL, TOP_REQUIRED)
    slug = _text(raw, "slug", at)
    if not SLUG_RE.match(slug):
        raise at.child("slug").error(f"« {slug} » : lettres minuscules sans accent, chiffres et tirets")
    if slug != path.stem:
        raise at.child("slug").error(f"« {slug} » doit être identique au nom du fichier « {path.stem} »")
    return Demarche(
        slug=slug,
        title=_text(raw, "title", at),
        description=_text(raw, "description", at),
        what_you_need=_text_list(raw, "what_you_need", at, required=True),
        estimated_minutes=_integer(raw, "estimated_minutes", at, required=True, minimum=1, maximum=120),
        life_events=_slug_list(raw, "life_events", at),
        fiches=_slug_list(raw, "fiches", at),
        service=_build_service(raw["service"], at.child("service"), services),
        legal=_build_legal(raw["legal"], at.child("legal")),
        privacy=_build_privacy(raw["privacy"], at.child("privacy")),
        identity=_choice(raw, "identity", at, IDENTITY_KINDS),
        declaration=_text(raw, "declaration", at),
        pages=(pages := _build_pages(raw, at)),
        version=version,
        path=str(path),
        after_submit=_build_links(raw, at),
        popular=_integer(raw, "popular", at, default=0, minimum=0),
        identity_prefill=_build_identity_prefill(raw, at, pages),
    )


def _build_service(value: object, at: _At, services: Mapping) -> Service:
    """Either written in full, or a key of `services` in the settings file (shared by démarches)."""
    if isinstance(value, str):
        return _settings_service(value, at, services)
    raw = _mapping(value, at, SERVICE_FIELDS, SERVICE_FIELDS)
    return Service(**{name: _text(raw, name, at) for name in SERVICE_FIELDS})


def _settings_service(key: str, at: _At, services: Mapping) -> Service:
    entry = services.get(key)
    if entry is None:
        known = ", ".join(sorted(services)) or "aucun"
        raise at.error(f"service « {key} » inconnu dans le fichier de réglages (services connus : {known})")
    if not isinstance(entry, dict):
        raise at.error(f"le service « {key} » du fichier de réglages est mal écrit")
    fields = {}
    for name in SERVICE_FIELDS:
        # The settings file calls the designation `name`.
        value = entry.get(name, entry.get("name")) if name == "designation" else entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise at.error(f"le service « {key} » du fichier de réglages n'a pas de « {name} »")
        fields[name] = value.strip()
    return Service(**fields, key=key)


def _build_legal(value: object, at: _At) -> LegalRegime:
    raw = _mapping(value, at, LEGAL_KEYS, ("implicit",))
    implicit = _choice(raw, "implicit", at, IMPLICIT_DECISIONS)
    days, months = _duration(raw, at, implicit)
    if implicit != "none" and raw.get("reference") is None:
        raise at.child("reference").error("obligatoire : le texte de loi qui fixe le délai et le sens du silence")
    if implicit == "rejection" and raw.get("appeal") is None:
        raise at.child("appeal").error(
            "obligatoire quand le silence vaut refus : expliquez les recours possibles et leurs délais")
    return LegalRegime(
        implicit=implicit,
        duration_days=days,
        duration_months=months,
        reference=_text(raw, "reference", at, required=False),
        appeal=_text(raw, "appeal", at, required=False),
        expected_processing=_text(raw, "expected_processing", at, required=False),
    )


def _duration(raw: dict, at: _At, implicit: str) -> tuple[int | None, int | None]:
    """The delay after which silence becomes a decision; a declaration has none."""
    at_duration = at.child("duration")
    if implicit == "none":
        if "duration" in raw:
            raise at_duration.error("pas de délai quand implicit vaut none : aucune décision n'est attendue")
        return None, None
    if "duration" not in raw:
        raise at_duration.error(
            "obligatoire : le délai après lequel le silence vaut décision (« days: 15 » ou « months: 2 »)")
    duration = _mapping(raw["duration"], at_duration, ("days", "months"))
    if len(duration) != 1:
        raise at_duration.error("écrivez soit days (jours), soit months (mois), une seule fois")
    return (_integer(duration, "days", at_duration, required="days" in duration, minimum=1, maximum=365),
            _integer(duration, "months", at_duration, required="months" in duration, minimum=1, maximum=24))


def _build_privacy(value: object, at: _At) -> PrivacyNotice:
    raw = _mapping(value, at, PRIVACY_FIELDS, PRIVACY_FIELDS)
    return PrivacyNotice(**{name: _text(raw, name, at) for name in PRIVACY_FIELDS})


def _build_links(raw: dict, at: _At) -> tuple[Link, ...]:
    links = []
    for index, item in enumerate(_list(raw, "after_submit", at, required=False)):
        at_item = at.child("after_submit").item(index)
        link = _mapping(item, at_item, LINK_KEYS, ("fiche",))
        fiche = _text(link, "fiche", at_item)
        if not SLUG_RE.match(fiche):
            raise at_item.child("fiche").error(f"« {fiche} » : lettres minuscules sans accent, chiffres et tirets")
        links.append(Link(fiche, _text(link, "text", at_item, required=False)))
    return tuple(links)


# --- Pages and questions --------------------------------------------------------------------


def _build_pages(raw: dict, at: _At) -> tuple[Page, ...]:
    """Build every page, then check ids and conditions, which need to see the whole list."""
    at_pages = at.child("pages")
    items = _list(raw, "pages", at, required=True)
    pages = tuple(_build_page(item, at_pages.item(index)) for index, item in enumerate(items))
    _check_unique_ids(pages, at_pages)
    for index, (item, page) in enumerate(zip(items, pages)):
        if page.when:
            _check_condition(page.when, item["when"], pages, index, at_pages.item(index).child("when"))
    return pages


def _build_page(raw: object, at: _At) -> Page:
    """A page with `questions:` groups several questions; otherwise the page is one question."""
    if isinstance(raw, dict) and "questions" in raw:
        return _build_group_page(raw, at)
    if isinstance(raw, dict):
        for key in ("title", "repeat"):
            if key in raw:
                raise at.child(key).error(
                    f"« {key} » n'est possible que sur une page qui regroupe des questions (avec « questions: »)")
    question = _build_question(raw, at, extra_keys=("when",))
    return Page(question.id, None, (question,), _condition(raw, at), None)


def _build_group_page(raw: dict, at: _At) -> Page:
    raw = _mapping(raw, at, PAGE_KEYS, ("id", "title", "questions"))
    page_id = _identifier(raw, "id", at)
    title = _text(raw, "title", at)
    at_questions = at.child("questions")
    items = _list(raw, "questions", at, required=True)
    questions = tuple(_build_question(item, at_questions.item(index)) for index, item in enumerate(items))
    repeat = _build_repeat(raw["repeat"], at.child("repeat"), page_id) if "repeat" in raw else None
    return Page(page_id, title, questions, _condition(raw, at), repeat)


def _build_repeat(value: object, at: _At, page_id: str) -> Repeat:
    raw = _mapping(value, at, REPEAT_KEYS, ("item_label", "add_label", "max"))
    minimum = _integer(raw, "min", at, default=1, minimum=0)
    maximum = _integer(raw, "max", at, required=True, minimum=1, maximum=20)
    if minimum > maximum:
        raise at.child("min").error(f"min ({minimum}) est plus grand que max ({maximum})")
    return Repeat(
        id=_identifier(raw, "id", at) if "id" in raw else page_id,
        item_label=_text(raw, "item_label", at),
        add_label=_text(raw, "add_label", at),
        min=minimum,
        max=maximum,
    )


def _build_question(raw: object, at: _At, extra_keys: tuple[str, ...] = ()) -> Question:
    if not isinstance(raw, dict):
        raise at.error("doit contenir des clés (« clé: valeur »), une par ligne")
    if "when" in raw and "when" not in extra_keys:
        raise at.child("when").error("une condition se met sur la page, pas sur une question d'un groupe")
    question_type = _choice(raw, "type", at, QUESTION_TYPES)
    allowed = QUESTION_COMMON_KEYS + QUESTION_TYPE_KEYS[question_type] + extra_keys
    for key in raw:
        if key in QUESTION_KEYS and key not in allowed:
            raise at.child(key).error(f"« {key} » ne s'applique pas à une question de type « {question_type} »")
    raw = _mapping(raw, at, allowed, ("id", "label"))
    dont_know = _boolean(raw, "dont_know", at, False)
    sensitive = _boolean(raw, "sensitive", at, False)
    return Question(
        id=_identifier(raw, "id", at),
        type=question_type,
        label=_text(raw, "label", at),
        hint=_text(raw, "hint", at, required=False),
        required=_boolean(raw, "required", at, True),
        validation=_build_validation(raw, question_type, at),
        autocomplete=_autocomplete(raw, question_type, sensitive, at),
        inputmode=_choice(raw, "inputmode", at, INPUTMODES) if "inputmode" in raw
        else DEFAULT_INPUTMODE.get(question_type),
        options=_build_options(raw, question_type, dont_know, at),
        dont_know=dont_know,
        sensitive=sensitive,
    )


def _autocomplete(raw: dict, question_type: str, sensitive: bool, at: _At) -> str | None:
    """Autofill helps people fill in their own details (WCAG 1.3.5); sensitive answers get "off"."""
    value = _text(raw, "autocomplete", at, required=False)
    at_key = at.child("autocomplete")
    if value is None:
        return "off" if sensitive else DEFAULT_AUTOCOMPLETE.get(question_type)
    if sensitive:
        raise at_key.error("inutile avec sensitive: true, qui met déjà autocomplete à « off »")
    if question_type == "address" and value != "off":
        raise at_key.error(
            "pour une adresse, seul « off » est possible : le moteur donne lui-même un jeton à chaque champ")
    if not is_autofill_token(value):
        raise at_key.error(
            f"« {value} » n'est pas une valeur autocomplete de la norme HTML "
            "(par exemple : given-name, family-name, email, tel, bday, postal-code, off)")
    return value


def _build_validation(raw: dict, question_type: str, at: _At) -> Validation:
    min_length = _integer(raw, "min_length", at, minimum=0)
    max_length = _integer(raw, "max_length", at, default=DEFAULT_MAX_LENGTH.get(question_type), minimum=1)
    if min_length is not None and max_length is not None and min_length > max_length:
        raise at.child("min_length").error(f"min_length ({min_length}) est plus grand que max_length ({max_length})")
    minimum, maximum = _number(raw, "min", at), _number(raw, "max", at)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise at.child("min").error(f"min ({minimum}) est plus grand que max ({maximum})")
    pattern, pattern_message = _pattern(raw, question_type, at)
    accept, max_bytes = _file_limits(raw, question_type, at)
    return Validation(
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        pattern_message=pattern_message,
        min=minimum,
        max=maximum,
        date=_choice(raw, "date", at, DATE_CONSTRAINTS) if "date" in raw else None,
        accept=accept,
        max_bytes=max_bytes,
    )


def _pattern(raw: dict, question_type: str, at: _At) -> tuple[str | None, str | None]:
    """A pattern always comes with the plain-French message shown when an answer does not match."""
    pattern = _text(raw, "pattern", at, required=False)
    message = _text(raw, "pattern_message", at, required=False)
    if pattern is None:
        if message is not None:
            raise at.child("pattern_message").error("inutile sans « pattern »")
        if question_type == "phone":
            return FRENCH_PHONE_PATTERN, FRENCH_PHONE_MESSAGE
        return None, None
    try:
        re.compile(pattern)
    except re.error as error:
        raise at.child("pattern").error(f"expression régulière invalide : {error}") from error
    if message is None:
        raise at.child("pattern_message").error(
            "obligatoire avec « pattern » : le message montré quand la réponse n'a pas la bonne forme")
    return pattern, message


def _file_limits(raw: dict, question_type: str, at: _At) -> tuple[tuple[str, ...], int]:
    if question_type != "file":
        return (), 0
    at_accept = at.child("accept")
    accept = tuple(_list(raw, "accept", at, required=True)) if "accept" in raw else FILE_FORMATS
    for index, file_format in enumerate(accept):
        if file_format not in FILE_FORMATS:
            raise at_accept.item(index).error(
                f"« {file_format} » n'est pas accepté. Formats possibles : {', '.join(FILE_FORMATS)}")
        if file_format in accept[:index]:
            raise at_accept.item(index).error(f"« {file_format} » est déjà dans la liste")
    size_mb = _integer(raw, "max_size_mb", at, minimum=1, maximum=MAX_FILE_MB)
    return accept, size_mb * 1024 * 1024 if size_mb else DEFAULT_MAX_BYTES


def _build_options(raw: dict, question_type: str, dont_know: bool, at: _At) -> tuple[Option, ...]:
    if question_type == "yesno":
        return (Option(YES, "Oui", None), Option(NO, "Non", None))
    if question_type not in CHOICE_TYPES:
        return ()
    at_options = at.child("options")
    if "options" not in raw:
        raise at_options.error(f"obligatoire pour une question de type « {question_type} » : la liste des choix")
    items = _list(raw, "options", at, required=True)
    options = tuple(_build_option(item, at_options.item(index)) for index, item in enumerate(items))
    if question_type == "select" and len(options) < MIN_SELECT_OPTIONS:
        raise at_options.error(
            f"une liste déroulante (select) est difficile à utiliser pour moins de {MIN_SELECT_OPTIONS} choix : "
            "utilisez « radios »")
    if question_type == "radios" and len(options) < 2:
        raise at_options.error("il faut au moins 2 choix")
    for index, option in enumerate(options):
        earlier = options[:index]
        if option.value in {other.value for other in earlier}:
            raise at_options.item(index).child("value").error(f"la valeur « {option.value} » est déjà utilisée")
        if option.label in {other.label for other in earlier}:
            raise at_options.item(index).child("label").error(f"le libellé « {option.label} » est déjà utilisé")
        if dont_know and option.value == DONT_KNOW:
            raise at_options.item(index).child("value").error(
                f"« {DONT_KNOW} » est déjà ajouté par dont_know: true")
    return options


def _build_option(raw: object, at: _At) -> Option:
    raw = _mapping(raw, at, OPTION_KEYS, ("value", "label"))
    value = _text(raw, "value", at)
    if not OPTION_VALUE_RE.match(value):
        raise at.child("value").error(f"« {value} » : lettres minuscules sans accent, chiffres, « - » ou « _ »")
    return Option(value, _text(raw, "label", at), _text(raw, "hint", at, required=False))


# --- Cross-page checks ----------------------------------------------------------------------


def _condition(raw: dict, at: _At) -> Condition | None:
    if "when" not in raw:
        return None
    at_when = at.child("when")
    when = _mapping(raw["when"], at_when, CONDITION_KEYS, ("question",))
    if ("equals" in when) == ("in" in when):
        raise at_when.error("écrivez soit « equals: valeur », soit « in: » suivi d'une liste de valeurs")
    values = (_text(when, "equals", at_when),) if "equals" in when else _text_list(when, "in", at_when, required=True)
    return Condition(_text(when, "question", at_when), values)


def _check_unique_ids(pages: tuple[Page, ...], at: _At) -> None:
    """Page ids name URLs; question and repeat ids name answers: each must be unique."""
    page_ids, answer_ids = set(), set()
    for index, page in enumerate(pages):
        at_page = at.item(index)
        if page.id in page_ids:
            raise at_page.child("id").error(f"la page « {page.id} » existe déjà")
        page_ids.add(page.id)
        for question_index, question in enumerate(page.questions):
            at_question = at_page if page.title is None else at_page.child("questions").item(question_index)
            if question.id in answer_ids:
                raise at_question.child("id").error(f"l'identifiant « {question.id} » est déjà utilisé")
            answer_ids.add(question.id)
        if page.repeat:
            if page.repeat.id in answer_ids:
                raise at_page.child("repeat").child("id").error(
                    f"l'identifiant « {page.repeat.id} » est déjà utilisé par une question")
            answer_ids.add(page.repeat.id)


def _check_condition(when: Condition, raw_when: dict, pages: tuple[Page, ...], index: int, at: _At) -> None:
    """A condition reads an answer given on an earlier page, and only values that answer can take."""
    source = next(((position, page, question) for position, page in enumerate(pages)
                   for question in page.questions if question.id == when.question), None)
    at_question = at.child("question")
    if source is None:
        raise at_question.error(f"la question « {when.question} » n'existe pas")
    position, page, question = source
    if position >= index:
        raise at_question.error(
            f"la question « {when.question} » n'est pas posée avant cette page : "
            "une condition ne peut porter que sur une question d'une page précédente")
    if page.repeat:
        raise at_question.error(
            f"la question « {when.question} » est dans un groupe répétable : elle a une réponse par élément")
    possible = {option.value for option in question.options} | ({DONT_KNOW} if question.dont_know else set())
    if not possible:
        raise at_question.error(
            f"la question « {when.question} » est de type « {question.type} » : une condition porte sur une "
            "question à choix (radios, checkboxes, select, yesno) ou sur la réponse « Je ne sais pas »")
    for value_index, value in enumerate(when.values):
        if value not in possible:
            at_value = at.child("equals") if "equals" in raw_when else at.child("in").item(value_index)
            raise at_value.error(
                f"« {value} » n'est pas une réponse possible. Réponses possibles : {', '.join(sorted(possible))}")


# --- identity_prefill: "Dites-le-nous une fois" ------------------------------------------------

# Identity answers an earlier answer may prefill: key in the YAML → (identity question id, type).
IDENTITY_PREFILL_FIELDS = {"address": ("identite_adresse", "address"), "email": ("identite_email", "email"),
                           "phone": ("identite_telephone", "phone")}
NO_PREFILL = "none"


def _build_identity_prefill(raw: dict, at: _At, pages: tuple[Page, ...]) -> tuple[tuple[str, str | None], ...]:
    """`identity_prefill: {address: nouvelle_adresse}`: the identity question starts with that answer.

    The source is a question of the same type, outside a repeatable group; `none` says that no
    question of the démarche is the person's own (the check over all démarches asks for it).
    """
    if "identity_prefill" not in raw:
        return ()
    at_prefill = at.child("identity_prefill")
    entries = _mapping(raw["identity_prefill"], at_prefill, tuple(IDENTITY_PREFILL_FIELDS))
    questions = {question.id: (question, page) for page in pages for question in page.questions}
    found = []
    for name, value in entries.items():
        target, question_type = IDENTITY_PREFILL_FIELDS[name]
        source = _text_value(value, at_prefill.child(name))
        if source == NO_PREFILL:
            found.append((target, None))
            continue
        question, page = questions.get(source, (None, None))
        if question is None or question.type != question_type or page.repeat:
            raise at_prefill.child(name).error(
                f"« {source} » doit être une question de type « {question_type} » de la démarche, "
                f"hors d'un groupe répétable, ou « {NO_PREFILL} »")
        found.append((target, source))
    return tuple(found)
