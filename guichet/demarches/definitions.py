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

from ..textfold import fold

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
TOP_OPTIONAL = ("life_events", "fiches", "after_submit", "popular")
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


def _integer(mapping: dict, key: str, at: _At, *, default: int | None = None,
             minimum: int | None = None, maximum: int | None = None) -> int | None:
    value = mapping.get(key, default)
    if value is None:
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
