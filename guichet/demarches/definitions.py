"""Démarche definitions: the loader of site/forms/*.yaml and what it gives the engine.

One YAML file describes one démarche (an online form); one engine walks every definition.
The loader refuses anything it does not understand, so a typo in a definition is reported
with its file and key path instead of silently changing the form the public sees.
The file format is the pydantic models of schema.py (published as site/forms/schema.json);
this module adds the rules that need the whole file or the settings file, then builds the
frozen objects the engine uses. The format is documented for editors in site/forms/README.md.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from guichet.content.textfold import fold
from guichet.demarches import schema, wording
from guichet.demarches.schema import (  # noqa: F401 (some are re-exported: the engine imports them from here)
    DEFAULT_MAX_LENGTH,
    DONT_KNOW,
    IDENTITY_PREFILL_FIELDS,
    NO_PREFILL,
    RESERVED_PREFIX,
    is_autofill_token,
)
from lexicon.datafiles import format_location, plain_errors

logger = logging.getLogger("guichet.demarches")

YES, NO = "oui", "non"         # the answers stored for a yesno question
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
FRENCH_PHONE_PATTERN = r"(?:0|\+33 ?)[1-9](?:[ .]?[0-9]{2}){4}"
FRENCH_PHONE_MESSAGE = ("Entrez un numéro de téléphone français de 10 chiffres, "
                        "par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.")
DEFAULT_AUTOCOMPLETE = {"email": "email", "phone": "tel"}
DEFAULT_INPUTMODE = {"email": "email", "phone": "tel", "number": "numeric"}
SERVICE_FIELDS = ("designation", "address", "email", "phone", "hours")


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
    # The same duration as `retention`, in months, enforced by guichet.privacy.retention.
    retention_months: int


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None
    other_label: str | None = None  # the choice as a helper reads it (see wording.py)


@dataclass(frozen=True)
class Validation:
    """Answer checks. `pattern` must match the whole answer; `max_bytes` is 0 for non-file questions;
    `decimals` is how many digits a number may have after the comma (0: a whole number)."""

    min_length: int | None
    max_length: int | None
    pattern: str | None
    pattern_message: str | None
    min: int | float | None
    max: int | float | None
    date: str | None
    accept: tuple[str, ...]
    max_bytes: int
    decimals: int = 0


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
    # The question asked to a helper about the person they act for (see wording.py); None: the same words.
    other_label: str | None = None
    other_hint: str | None = None
    # Said when a required answer is missing, instead of the message of the question's type.
    required_message: str | None = None


@dataclass(frozen=True)
class Condition:
    """Show a page only when an earlier answer is one of `values` (with `negate`: when it is not)."""

    question: str
    values: tuple[str, ...]
    negate: bool = False

    def matches(self, answers: Mapping[str, object]) -> bool:
        """A missing answer never matches: its page was skipped, so this one is skipped too
        (a negated condition holds for a missing answer: the engine's own pages use it)."""
        answer = answers.get(self.question)
        if isinstance(answer, (list, tuple, set, frozenset)):
            found = any(str(item) in self.values for item in answer)
        else:
            found = answer is not None and str(answer) in self.values
        return found != self.negate


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
    # The title when a helper acts for another person (see wording.py); None: the same title.
    other_title: str | None = None


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
    # The service chosen by an answer: (question id, ((answer, service), ...)); others go to `service`.
    service_by_answer: tuple[str, tuple[tuple[str, Service], ...]] | None = None

    def service_for(self, answers: Mapping[str, object]) -> Service:
        """The service in charge of a request with these answers."""
        if self.service_by_answer is None:
            return self.service
        question, services = self.service_by_answer
        return dict(services).get(str(answers.get(question)), self.service)

    def for_answers(self, answers: Mapping[str, object]) -> Demarche:
        """This démarche as one request sees it: its receipt and tracking page name the service in charge."""
        service = self.service_for(answers)
        return self if service is self.service else replace(self, service=service)

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
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DefinitionError(str(path), FILE_KEY, f"fichier illisible ({error.strerror})") from error
    raw = _parse_yaml(data, str(path))
    try:
        model = schema.DemarcheFile.model_validate(raw)
    except ValidationError as error:
        key, problem = plain_errors(error)[0]
        raise DefinitionError(str(path), key or FILE_KEY, problem) from None
    _check_file_rules(model, path)
    service = _service(model.service, services or {}, str(path))
    _check_wording_for_someone_else(model.pages, str(path))
    by_answer = _service_by_answer(model, services or {}, str(path))
    return replace(_demarche(model, service, str(path), hashlib.sha256(data).hexdigest()[:12]),
                   service_by_answer=by_answer)


# --- Reading the YAML -----------------------------------------------------------------------

FILE_KEY = "(fichier)"  # the key shown when the problem is the whole file


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


def _parse_yaml(data: bytes, path: str) -> object:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DefinitionError(path, FILE_KEY, "le fichier n'est pas enregistré en UTF-8") from error
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else "?"
        raise DefinitionError(path, FILE_KEY, f"YAML illisible à la ligne {line} : {error.problem}") from error
    except yaml.YAMLError as error:
        raise DefinitionError(path, FILE_KEY, f"YAML illisible : {error}") from error


# --- Rules that need the whole file ---------------------------------------------------------


def _check_file_rules(model: schema.DemarcheFile, path: Path) -> None:
    """The slug names the file; ids are unique; conditions read an earlier choice answer."""
    if model.slug != path.stem:
        raise DefinitionError(str(path), "slug", f"« {model.slug} » doit être identique au nom du fichier « {path.stem} »")
    _check_unique_ids(model.pages, str(path))
    for index, page in enumerate(model.pages):
        if page.when is not None:
            _check_condition(page.when, model.pages, index, str(path), ("pages", index, "when"))
    if model.identity_prefill is not None:
        _check_identity_prefill(model.identity_prefill, model.pages, str(path))


def _check_wording_for_someone_else(pages, path: str) -> None:
    """Every label and title can be asked to a helper about the person: the definition's wording, the rule's,
    or the same words when they do not speak to the person ("Que voulez-vous installer ?")."""
    for index, page in enumerate(pages):
        grouped = isinstance(page, schema.GroupPage)
        title = page.title if grouped else None
        other_title = page.for_someone_else.title if grouped and page.for_someone_else else None
        if title and wording.speaks_to_person(other_title or title):
            raise DefinitionError(path, format_location(("pages", index, "for_someone_else", "title")),
                                  f"« {other_title or title} » parle à la personne : écrivez le titre pour la personne "
                                  "qui aide (« … de la personne »)")
        for below, question in _questions_of(page):
            explicit = question.for_someone_else.label if question.for_someone_else else None
            other = wording.other_text(explicit, question.label) or question.label
            if wording.speaks_to_person(other):
                raise DefinitionError(path, format_location(("pages", index, *below, "for_someone_else", "label")),
                                      f"« {other} » parle à la personne : écrivez la question posée à la personne "
                                      "qui aide, par exemple « Quelle est la date de naissance de la personne ? »")
            for position, option in enumerate(getattr(question, "options", ())):
                if wording.speaks_as_person(option.for_someone_else or option.label):
                    raise DefinitionError(
                        path, format_location(("pages", index, *below, "options", position, "for_someone_else")),
                        f"« {option.for_someone_else or option.label} » : la personne parle. Écrivez le choix pour "
                        "la personne qui aide, par exemple « La personne est son enfant »")


def _check_identity_prefill(prefill: schema.IdentityPrefill, pages, path: str) -> None:
    """The source of a prefilled identity answer is a question of the same type, outside a repeatable group;
    `none` says that no question of the démarche is the person's own (the check over all démarches asks for it)."""
    questions = {question.id: (question, page) for page in pages for _below, question in _questions_of(page)}
    for name, (_target, question_type) in IDENTITY_PREFILL_FIELDS.items():
        source = getattr(prefill, name)
        if source is None or source == NO_PREFILL:
            continue
        question, page = questions.get(source, (None, None))
        if question is None or question.type != question_type or getattr(page, "repeat", None) is not None:
            raise DefinitionError(path, f"identity_prefill.{name}",
                                  f"« {source} » doit être une question de type « {question_type} » de la démarche, "
                                  f"hors d'un groupe répétable, ou « {NO_PREFILL} »")


def _questions_of(page) -> list[tuple[tuple, object]]:
    """The questions of a page, each with its key path below the page."""
    if isinstance(page, schema.GroupPage):
        return [(("questions", index), question) for index, question in enumerate(page.questions)]
    return [((), page)]


def _check_unique_ids(pages, path: str) -> None:
    """Page ids name URLs; question and repeat ids name answers: each must be unique."""
    page_ids, answer_ids = set(), set()
    for index, page in enumerate(pages):
        if page.id in page_ids:
            raise DefinitionError(path, format_location(("pages", index, "id")), f"la page « {page.id} » existe déjà")
        page_ids.add(page.id)
        for below, question in _questions_of(page):
            if question.id in answer_ids:
                raise DefinitionError(path, format_location(("pages", index, *below, "id")),
                                      f"l'identifiant « {question.id} » est déjà utilisé")
            answer_ids.add(question.id)
        repeat = getattr(page, "repeat", None)
        if repeat is not None:
            repeat_id = repeat.id or page.id
            if repeat_id in answer_ids:
                raise DefinitionError(path, format_location(("pages", index, "repeat", "id")),
                                      f"l'identifiant « {repeat_id} » est déjà utilisé par une question")
            answer_ids.add(repeat_id)


def _check_condition(when: schema.Condition, pages, index: int, path: str, loc: tuple) -> None:
    """A condition reads an answer given on an earlier page, and only values that answer can take."""
    source = next(((position, page, question) for position, page in enumerate(pages)
                   for _below, question in _questions_of(page) if question.id == when.question), None)
    at_question = format_location((*loc, "question"))
    if source is None:
        raise DefinitionError(path, at_question, f"la question « {when.question} » n'existe pas")
    position, page, question = source
    if position >= index:
        raise DefinitionError(path, at_question,
                              f"la question « {when.question} » n'est pas posée avant cette page : "
                              "une condition ne peut porter que sur une question d'une page précédente")
    if getattr(page, "repeat", None) is not None:
        raise DefinitionError(path, at_question, f"la question « {when.question} » est dans un groupe répétable : "
                                                 "elle a une réponse par élément")
    possible = {option.value for option in _options(question)} | (
        {DONT_KNOW} if getattr(question, "dont_know", False) else set())
    if not possible:
        raise DefinitionError(
            path, at_question,
            f"la question « {when.question} » est de type « {question.type} » : une condition porte sur une "
            "question à choix (radios, checkboxes, select, yesno) ou sur la réponse « Je ne sais pas »")
    for value_index, value in enumerate(when.values):
        if value not in possible:
            at_value = ("equals",) if when.equals is not None else ("in", value_index)
            raise DefinitionError(path, format_location((*loc, *at_value)),
                                  f"« {value} » n'est pas une réponse possible. "
                                  f"Réponses possibles : {', '.join(sorted(possible))}")


def _service(value: str | schema.InlineService, services: Mapping, path: str) -> Service:
    """Either written in full, or a key of `services` in the settings file (shared by démarches)."""
    if isinstance(value, schema.InlineService):
        return Service(**value.model_dump())
    entry = services.get(value)
    if entry is None:
        known = ", ".join(sorted(services)) or "aucun"
        raise DefinitionError(path, "service",
                              f"service « {value} » inconnu dans le fichier de réglages (services connus : {known})")
    if not isinstance(entry, Mapping):
        raise DefinitionError(path, "service", f"le service « {value} » du fichier de réglages est mal écrit")
    fields = {}
    for name in SERVICE_FIELDS:
        # The settings file calls the designation `name`.
        field = entry.get(name, entry.get("name")) if name == "designation" else entry.get(name)
        if not isinstance(field, str) or not field.strip():
            raise DefinitionError(path, "service", f"le service « {value} » du fichier de réglages n'a pas de « {name} »")
        fields[name] = field.strip()
    return Service(**fields, key=value)


def _service_by_answer(model: schema.DemarcheFile, services: Mapping,
                       path: str) -> tuple[str, tuple[tuple[str, Service], ...]] | None:
    """The answer that chooses the service: a choice question outside a repeated group, known values and services."""
    chosen = model.service_by_answer
    if chosen is None:
        return None
    found = next(((page, question) for page in model.pages for _below, question in _questions_of(page)
                  if question.id == chosen.question), None)
    if found is None or found[1].type not in ("radios", "select") or getattr(found[0], "repeat", None) is not None:
        raise DefinitionError(path, "service_by_answer.question",
                              f"« {chosen.question} » doit être une question radios ou select de la démarche, "
                              "hors d'un groupe répétable")
    values = {option.value for option in _options(found[1])}
    mapped = []
    for value, key in chosen.services.items():
        if value not in values:
            raise DefinitionError(path, f"service_by_answer.services.{value}",
                                  f"« {value} » n'est pas une réponse possible. "
                                  f"Réponses possibles : {', '.join(sorted(values))}")
        mapped.append((value, _service(key, services, path)))
    return chosen.question, tuple(mapped)


# --- Building what the engine uses ----------------------------------------------------------


def _demarche(model: schema.DemarcheFile, service: Service, path: str, version: str) -> Demarche:
    legal = model.legal
    duration = legal.duration
    return Demarche(
        slug=model.slug,
        title=model.title,
        description=model.description,
        what_you_need=tuple(model.what_you_need),
        estimated_minutes=model.estimated_minutes,
        life_events=tuple(model.life_events),
        fiches=tuple(model.fiches),
        service=service,
        legal=LegalRegime(
            implicit=legal.implicit,
            duration_days=duration.days if duration else None,
            duration_months=duration.months if duration else None,
            reference=legal.reference,
            appeal=legal.appeal,
            expected_processing=legal.expected_processing,
        ),
        privacy=PrivacyNotice(**model.privacy.model_dump()),
        identity=model.identity,
        declaration=model.declaration,
        pages=tuple(_page(page) for page in model.pages),
        version=version,
        path=path,
        after_submit=tuple(Link(link.fiche, link.text) for link in model.after_submit),
        popular=model.popular,
        identity_prefill=_identity_prefill(model.identity_prefill),
    )


def _identity_prefill(prefill: schema.IdentityPrefill | None) -> tuple[tuple[str, str | None], ...]:
    """(identity question id, source question id or None for `none`), for each identity field the file names."""
    if prefill is None:
        return ()
    return tuple((target, None if getattr(prefill, name) == NO_PREFILL else getattr(prefill, name))
                 for name, (target, _type) in IDENTITY_PREFILL_FIELDS.items() if getattr(prefill, name) is not None)


def _page(page) -> Page:
    """A page with `questions:` groups several questions; otherwise the page is one question."""
    when = Condition(page.when.question, page.when.values) if page.when is not None else None
    if not isinstance(page, schema.GroupPage):
        return Page(page.id, None, (_question(page),), when, None)
    repeat = page.repeat
    return Page(page.id, page.title, tuple(_question(question) for question in page.questions), when,
                Repeat(repeat.id or page.id, repeat.item_label, repeat.add_label, repeat.min, repeat.max)
                if repeat is not None else None,
                other_title=page.for_someone_else.title if page.for_someone_else else None)


def _options(question) -> tuple[Option, ...]:
    if question.type == "yesno":
        return (Option(YES, "Oui", None), Option(NO, "Non", None))
    return tuple(Option(option.value, option.label, option.hint, option.for_someone_else)
                 for option in getattr(question, "options", ()))


def _question(question) -> Question:
    """Fill in what each type implies: default lengths, phone pattern, autofill, keyboard."""
    sensitive = getattr(question, "sensitive", False)
    autocomplete = getattr(question, "autocomplete", None)
    inputmode = getattr(question, "inputmode", None)
    other = question.for_someone_else
    return Question(
        id=question.id,
        type=question.type,
        label=question.label,
        hint=question.hint,
        required=question.required,
        validation=_validation(question),
        autocomplete=autocomplete if autocomplete is not None
        else ("off" if sensitive else DEFAULT_AUTOCOMPLETE.get(question.type)),
        inputmode=inputmode if inputmode is not None
        else "decimal" if getattr(question, "decimals", 0) else DEFAULT_INPUTMODE.get(question.type),
        options=_options(question),
        dont_know=getattr(question, "dont_know", False),
        sensitive=sensitive,
        other_label=wording.other_text(other.label if other else None, question.label),
        other_hint=wording.other_text(other.hint if other else None, question.hint),
    )


def _validation(question) -> Validation:
    pattern = getattr(question, "pattern", None)
    pattern_message = getattr(question, "pattern_message", None)
    if pattern is None and question.type == "phone":
        pattern, pattern_message = FRENCH_PHONE_PATTERN, FRENCH_PHONE_MESSAGE
    max_length = getattr(question, "max_length", None)
    is_file = question.type == "file"
    size_mb = getattr(question, "max_size_mb", None)
    return Validation(
        min_length=getattr(question, "min_length", None),
        max_length=max_length if max_length is not None else DEFAULT_MAX_LENGTH.get(question.type),
        pattern=pattern,
        pattern_message=pattern_message,
        min=getattr(question, "min", None),
        max=getattr(question, "max", None),
        date=getattr(question, "date", None),
        accept=tuple(question.accept) if is_file else (),
        max_bytes=(size_mb * 1024 * 1024 if size_mb else DEFAULT_MAX_BYTES) if is_file else 0,
        decimals=getattr(question, "decimals", 0),
    )
