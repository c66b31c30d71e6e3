"""The format of a démarche definition (site/forms/*.yaml), as pydantic models.

These models say what a file may contain: keys, types, allowed values, and the rules that
relate keys of one mapping (min ≤ max, a pattern comes with its message…). They are the
source of site/forms/schema.json, which editors use to check a file as it is typed.
Rules that need the whole file (unique ids, conditions on earlier answers) and the
settings file (service keys) are in definitions.py, after this structural validation.
Descriptions are in French: form authors read them in their editor.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal, Union, get_args

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    Tag,
    model_validator,
)

from lexicon.datafiles import (
    MAPPING,
    NonEmptyTexts,
    Slug,
    SlugList,
    Strict,
    Text,
    plain_text,
    plain_pattern,
    problem,
    tag,
    unique_list,
)

QUESTION_TYPES = ("text", "textarea", "email", "phone", "number", "date", "address",
                  "radios", "checkboxes", "select", "yesno", "file")
IMPLICIT_DECISIONS = ("acceptance", "rejection", "none", "unknown")
NO_CLOCK = ("none", "unknown")  # regimes without a computed implicit decision
IDENTITY_KINDS = ("individual", "company", "association", "any")
DATE_CONSTRAINTS = ("past", "future")
INPUTMODES = ("none", "text", "decimal", "numeric", "tel", "search", "email", "url")
FILE_FORMATS = ("pdf", "jpeg", "png")

RESERVED_PREFIX = "identite_"  # ids of the identity pages the engine inserts itself
DONT_KNOW = "je-ne-sais-pas"   # the answer stored when "Je ne sais pas" is chosen
MIN_SELECT_OPTIONS = 8         # below this, radios are easier to use than a drop-down list
MAX_FILE_MB = 10               # stays under the app's MAX_CONTENT_LENGTH
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000, "email": 254}

ID_PATTERN = plain_pattern(
    r"^[a-z][a-z0-9_]{0,39}$",
    "commencez par une lettre minuscule, puis lettres minuscules sans accent, chiffres ou « _ » (40 caractères au plus)")
OPTION_VALUE_PATTERN = plain_pattern(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$",
                                     "lettres minuscules sans accent, chiffres, « - » ou « _ »")

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


# --- Value types ----------------------------------------------------------------------------


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise problem("doit être un nombre")
    return value


def _not_reserved(value: str) -> str:
    if value.startswith(RESERVED_PREFIX):
        raise problem(f"« {value} » : les identifiants qui commencent par « {RESERVED_PREFIX} » sont réservés "
                      "aux pages d'identité ajoutées par le moteur")
    return value


Identifier = Annotated[str, BeforeValidator(plain_text), AfterValidator(_not_reserved), Field(pattern=ID_PATTERN)]
Number = Annotated[Union[StrictInt, StrictFloat], BeforeValidator(_number)]


def _choice(values: tuple[str, ...]) -> Any:
    return Literal[values]  # type: ignore[valid-type]


# --- The top of the file --------------------------------------------------------------------


class InlineService(Strict):
    """Le service responsable, écrit en entier (sinon : une clé de « services » du fichier de réglages)."""

    designation: Text = Field(description="Nom du service, par exemple « Service des sports ».")
    address: Text = Field(description="Adresse postale.")
    email: Text = Field(description="Adresse de courriel.")
    phone: Text = Field(description="Numéro de téléphone.")
    hours: Text = Field(description="Horaires d'ouverture, en phrases.")


def _service_kind(value: Any) -> str:
    return tag("key") if isinstance(value, str) else tag("inline")


ServiceRef = Annotated[Union[Annotated[Slug, Tag(tag("key"))], Annotated[InlineService, Tag(tag("inline"))]],
                       Discriminator(_service_kind)]


class Duration(Strict):
    """Le délai après lequel le silence de l'administration vaut décision : days OU months."""

    days: StrictInt | None = Field(None, ge=1, le=365, description="Délai en jours (1 à 365).")
    months: StrictInt | None = Field(None, ge=1, le=24, description="Délai en mois (1 à 24).")

    @model_validator(mode="after")
    def _one_unit(self) -> Duration:
        if len(self.model_fields_set) != 1:
            raise problem("écrivez soit days (jours), soit months (mois), une seule fois")
        unit = next(iter(self.model_fields_set))
        if getattr(self, unit) is None:
            raise problem("nombre entier obligatoire manquant", unit)
        return self


class Legal(Strict):
    """Ce que vaut le silence de l'administration, et comment contester une décision."""

    implicit: _choice(IMPLICIT_DECISIONS) = Field(
        description="acceptance : le silence vaut accord ; rejection : il vaut refus ; none : pas de décision ; "
                    "unknown : cela dépend de la demande (écrire à la mairie) : le service dit sous 7 jours "
                    "si une décision suivra et quand.")
    duration: Duration | None = Field(None, description="Obligatoire sauf avec implicit: none.")
    reference: Text | None = Field(None, description="Le texte de loi qui fixe le délai et le sens du silence.")
    appeal: Text | None = Field(None, description="Les recours et leurs délais ; obligatoire si le silence vaut refus.")
    expected_processing: Text | None = Field(None, description="Le délai habituel de traitement, en phrases.")

    @model_validator(mode="after")
    def _regime(self) -> Legal:
        if self.implicit in NO_CLOCK:
            if self.duration is not None:
                raise problem("pas de délai quand implicit vaut none : aucune décision n'est attendue"
                              if self.implicit == "none" else
                              "pas de délai quand implicit vaut unknown : le service le dira à la personne",
                              "duration")
            return self
        if self.duration is None:
            raise problem("obligatoire : le délai après lequel le silence vaut décision (« days: 15 » ou « months: 2 »)",
                          "duration")
        if self.reference is None:
            raise problem("obligatoire : le texte de loi qui fixe le délai et le sens du silence", "reference")
        if self.implicit == "rejection" and self.appeal is None:
            raise problem("obligatoire quand le silence vaut refus : expliquez les recours possibles et leurs délais",
                          "appeal")
        return self


class Privacy(Strict):
    """Les informations du RGPD (article 13) ; le moteur liste lui-même les réponses obligatoires."""

    controller: Text = Field(description="Le responsable du traitement.")
    purpose: Text = Field(description="Pourquoi les données sont utilisées.")
    legal_basis: Text = Field(description="La base légale du traitement.")
    recipients: Text = Field(description="Qui reçoit les données.")
    retention: Text = Field(description="Combien de temps elles sont gardées.")
    rights: Text = Field(description="Comment exercer ses droits.")
    retention_months: StrictInt = Field(
        ge=1, le=600, description="La même durée que « retention », en mois (1 à 600) : le guichet supprime la "
        "demande, ses messages et ses fichiers après cette durée, comptée depuis la décision, ou depuis la "
        "réception si la demande n'a jamais été décidée.")


class Link(Strict):
    """Une fiche proposée sur la page du récépissé."""

    fiche: Slug = Field(description="Le slug de la fiche.")
    text: Text | None = Field(None, description="Une phrase qui dit pourquoi lire cette fiche.")


# --- Questions ------------------------------------------------------------------------------


class Option(Strict):
    value: Annotated[str, BeforeValidator(plain_text), Field(pattern=OPTION_VALUE_PATTERN)] = Field(
        description="La réponse enregistrée : lettres minuscules sans accent, chiffres, « - » ou « _ ».")
    label: Text = Field(description="Le texte du choix, montré au public.")
    hint: Text | None = Field(None, description="Une aide courte sous le choix.")
    for_someone_else: Text | None = Field(None, description="Le texte du choix pour la personne qui aide, quand il "
                                                            "parle à la première personne (« Je suis son enfant » "
                                                            "devient « La personne est son enfant »).")


class Condition(Strict):
    """Montrer la page seulement si une réponse d'une page précédente vaut l'une des valeurs."""

    question: Text = Field(description="L'identifiant d'une question à choix d'une page précédente.")
    equals: Text | None = Field(None, description="La valeur attendue (ou bien « in »).")
    in_: NonEmptyTexts | None = Field(None, alias="in", description="Les valeurs possibles (ou bien « equals »).")

    @model_validator(mode="after")
    def _one_of(self) -> Condition:
        if (self.equals is None) == (self.in_ is None):
            raise problem("écrivez soit « equals: valeur », soit « in: » suivi d'une liste de valeurs")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        return (self.equals,) if self.equals is not None else tuple(self.in_)


class OtherWording(Strict):
    """La question posée à la personne qui aide, quand elle fait la démarche pour une autre personne."""

    label: Text = Field(description="La question, sur la personne : « Quelle est la date de naissance de la "
                                    "personne ? ».")
    hint: Text | None = Field(None, description="L'aide, sur la personne.")


class OtherTitle(Strict):
    """Le titre de la page quand une personne qui aide fait la démarche pour une autre personne."""

    title: Text = Field(description="Le titre, sur la personne : « Les enfants de la personne ».")


QUESTION_KEYS = frozenset(("id", "type", "label", "hint", "required", "min_length", "max_length", "pattern",
                           "pattern_message", "autocomplete", "inputmode", "dont_know", "sensitive", "min", "max",
                           "date", "options", "accept", "max_size_mb"))


class QuestionBase(Strict):
    refused: ClassVar[dict[str, str]] = {
        "when": "une condition se met sur la page, pas sur une question d'un groupe"}

    id: Identifier = Field(description="Nomme la réponse : lettres minuscules sans accent, chiffres, « _ ».")
    label: Text = Field(description="La question, posée au public : « Quelle est votre adresse ? ».")
    hint: Text | None = Field(None, description="Une aide courte, avec un exemple.")
    required: StrictBool = Field(True, description="false : la réponse est facultative.")
    for_someone_else: OtherWording | None = Field(
        None, description="La question posée à la personne qui aide. Sans elle, le moteur réécrit lui-même les "
                          "questions simples (« Quelle est votre adresse ? » devient « Quelle est l'adresse de la "
                          "personne ? ») ; il refuse une question qui parle encore à la personne.")

    @classmethod
    def question_type(cls) -> str:
        return get_args(cls.model_fields["type"].annotation)[0]

    @classmethod
    def refusal(cls, key: str) -> str | None:
        if key in cls.refused:
            return cls.refused[key]
        if key in QUESTION_KEYS:
            return f"« {key} » ne s'applique pas à une question de type « {cls.question_type()} »"
        return None


class _DontKnow(Strict):
    dont_know: StrictBool = Field(False, description="true : ajoute le choix « Je ne sais pas ».")


class _Sensitive(Strict):
    sensitive: StrictBool = Field(False, description="true : réponse sensible (santé…), jamais pré-remplie.")


class _Autocomplete(Strict):
    autocomplete: Text | None = Field(
        None, description="Valeur autocomplete HTML (given-name, email, tel, bday, postal-code…) ou « off ».")

    @model_validator(mode="after")
    def _autofill(self) -> _Autocomplete:
        value = self.autocomplete
        if value is None:
            return self
        if getattr(self, "sensitive", False):
            raise problem("inutile avec sensitive: true, qui met déjà autocomplete à « off »", "autocomplete")
        if self.question_type() == "address" and value != "off":
            raise problem("pour une adresse, seul « off » est possible : le moteur donne lui-même un jeton à chaque "
                          "champ", "autocomplete")
        if not is_autofill_token(value):
            raise problem(f"« {value} » n'est pas une valeur autocomplete de la norme HTML "
                          "(par exemple : given-name, family-name, email, tel, bday, postal-code, off)", "autocomplete")
        return self


class _Inputmode(Strict):
    inputmode: _choice(INPUTMODES) | None = Field(None, description="Le clavier proposé sur téléphone.")


class _Lengths(Strict):
    min_length: StrictInt | None = Field(None, ge=0, description="Nombre minimum de caractères.")
    max_length: StrictInt | None = Field(None, ge=1, description="Nombre maximum de caractères.")

    @model_validator(mode="after")
    def _ordered(self) -> _Lengths:
        maximum = self.max_length if self.max_length is not None else DEFAULT_MAX_LENGTH.get(self.question_type())
        if self.min_length is not None and maximum is not None and self.min_length > maximum:
            raise problem(f"min_length ({self.min_length}) est plus grand que max_length ({maximum})", "min_length")
        return self


class _Pattern(Strict):
    pattern: Text | None = Field(None, description="Expression régulière que toute la réponse doit respecter.")
    pattern_message: Text | None = Field(None, description="Le message montré quand la réponse ne respecte pas "
                                                           "« pattern » ; obligatoire avec lui.")

    @model_validator(mode="after")
    def _with_message(self) -> _Pattern:
        if self.pattern is None:
            if self.pattern_message is not None:
                raise problem("inutile sans « pattern »", "pattern_message")
            return self
        try:
            re.compile(self.pattern)
        except re.error as error:
            raise problem(f"expression régulière invalide : {error}", "pattern") from error
        if self.pattern_message is None:
            raise problem("obligatoire avec « pattern » : le message montré quand la réponse n'a pas la bonne forme",
                          "pattern_message")
        return self


class _Bounds(Strict):
    min: Number | None = Field(None, description="Plus petit nombre accepté.")
    max: Number | None = Field(None, description="Plus grand nombre accepté.")

    @model_validator(mode="after")
    def _ordered(self) -> _Bounds:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise problem(f"min ({self.min}) est plus grand que max ({self.max})", "min")
        return self


class _DateRule(Strict):
    date: _choice(DATE_CONSTRAINTS) | None = Field(None, description="past : date passée ; future : date à venir.")


class _Options(Strict):
    options: Annotated[list[Option], Field(min_length=1)] = Field(description="La liste des choix.")

    @classmethod
    def missing_sentences(cls) -> dict[str, str]:
        return {"options": f"obligatoire pour une question de type « {cls.question_type()} » : la liste des choix"}

    @model_validator(mode="after")
    def _choices(self) -> _Options:
        kind, options = self.question_type(), self.options
        if kind == "select" and len(options) < MIN_SELECT_OPTIONS:
            raise problem(f"une liste déroulante (select) est difficile à utiliser pour moins de {MIN_SELECT_OPTIONS} "
                          "choix : utilisez « radios »", "options")
        if kind == "radios" and len(options) < 2:
            raise problem("il faut au moins 2 choix", "options")
        for index, option in enumerate(options):
            earlier = options[:index]
            if option.value in {other.value for other in earlier}:
                raise problem(f"la valeur « {option.value} » est déjà utilisée", "options", index, "value")
            if option.label in {other.label for other in earlier}:
                raise problem(f"le libellé « {option.label} » est déjà utilisé", "options", index, "label")
            if getattr(self, "dont_know", False) and option.value == DONT_KNOW:
                raise problem(f"« {DONT_KNOW} » est déjà ajouté par dont_know: true", "options", index, "value")
        return self


class _File(Strict):
    accept: Annotated[unique_list(_choice(FILE_FORMATS)), Field(min_length=1)] = Field(
        list(FILE_FORMATS), description="Formats acceptés : pdf, jpeg, png.")
    max_size_mb: StrictInt | None = Field(None, ge=1, le=MAX_FILE_MB, description="Taille maximale en Mo (5 par défaut).")


class TextQuestion(QuestionBase, _Lengths, _Pattern, _Inputmode, _Autocomplete, _Sensitive, _DontKnow):
    """Une ligne de texte."""
    type: Literal["text"]


class TextareaQuestion(QuestionBase, _Lengths, _Inputmode, _Autocomplete, _Sensitive, _DontKnow):
    """Plusieurs lignes de texte."""
    type: Literal["textarea"]


class EmailQuestion(QuestionBase, _Lengths, _Autocomplete, _Sensitive, _DontKnow):
    """Une adresse de courriel."""
    type: Literal["email"]


class PhoneQuestion(QuestionBase, _Pattern, _Autocomplete, _Sensitive, _DontKnow):
    """Un numéro de téléphone (français par défaut)."""
    type: Literal["phone"]


class NumberQuestion(QuestionBase, _Bounds, _Inputmode, _Autocomplete, _Sensitive, _DontKnow):
    """Un nombre."""
    type: Literal["number"]
    decimals: StrictInt = Field(0, ge=0, le=4, description=(
        "Chiffres permis après la virgule (0 à 4). 0 : un nombre entier (une quantité de personnes, d'exemplaires)."))


class DateQuestion(QuestionBase, _DateRule, _Autocomplete, _Sensitive, _DontKnow):
    """Une date (jour, mois, année)."""
    type: Literal["date"]


class AddressQuestion(QuestionBase, _Autocomplete, _Sensitive, _DontKnow):
    """Une adresse postale (plusieurs champs)."""
    type: Literal["address"]


class RadiosQuestion(QuestionBase, _Options, _DontKnow):
    """Un seul choix parmi plusieurs."""
    type: Literal["radios"]


class CheckboxesQuestion(QuestionBase, _Options):
    """Plusieurs choix possibles."""
    type: Literal["checkboxes"]


class SelectQuestion(QuestionBase, _Options, _Autocomplete, _DontKnow):
    """Une liste déroulante (8 choix ou plus)."""
    type: Literal["select"]


class YesnoQuestion(QuestionBase, _DontKnow):
    """Oui ou non."""
    type: Literal["yesno"]


class FileQuestion(QuestionBase, _File):
    """Une pièce jointe."""
    type: Literal["file"]


QUESTION_MODELS = (TextQuestion, TextareaQuestion, EmailQuestion, PhoneQuestion, NumberQuestion, DateQuestion,
                   AddressQuestion, RadiosQuestion, CheckboxesQuestion, SelectQuestion, YesnoQuestion, FileQuestion)
assert tuple(model.question_type() for model in QUESTION_MODELS) == QUESTION_TYPES


class _OnePage(Strict):
    """A page that is one question: the question's keys, and the page's condition."""

    refused: ClassVar[dict[str, str]] = {
        key: f"« {key} » n'est possible que sur une page qui regroupe des questions (avec « questions: »)"
        for key in ("title", "repeat")}
    when: Condition | None = Field(None, description="Montrer cette page seulement si…")


ONE_QUESTION_PAGE_MODELS = tuple(
    type(f"{model.__name__}Page", (_OnePage, model), {"__module__": __name__, "__doc__": model.__doc__})
    for model in QUESTION_MODELS)


def _question_type(value: Any) -> Any:
    """Check the type before choosing the model, so a wrong type is named, not reported as a mismatch."""
    if not isinstance(value, dict):
        raise problem(MAPPING)
    kind = value.get("type")
    if kind is None:
        raise problem(f"clé obligatoire manquante. Choix possibles : {', '.join(QUESTION_TYPES)}", "type")
    if kind not in QUESTION_TYPES:
        raise problem(f"« {kind} » n'est pas possible. Choix possibles : {', '.join(QUESTION_TYPES)}", "type")
    return value


def _type_tag(value: Any) -> str:
    return tag(value["type"])


def _union(models: tuple[type, ...], discriminator) -> Any:
    members = tuple(Annotated[model, Tag(tag(model.question_type()))] for model in models)
    return Annotated[Union[members], Discriminator(discriminator)]  # type: ignore[valid-type]


GroupQuestion = Annotated[_union(QUESTION_MODELS, _type_tag), BeforeValidator(_question_type)]


class Repeat(Strict):
    """Une page posée une fois par élément (un enfant, un véhicule…)."""

    id: Identifier | None = Field(None, description="Nomme la liste des réponses ; par défaut l'id de la page.")
    item_label: Text = Field(description="Le nom d'un élément : « Enfant ».")
    add_label: Text = Field(description="Le bouton pour en ajouter un : « Ajouter un enfant ».")
    min: StrictInt = Field(1, ge=0, description="Nombre minimum d'éléments (1 par défaut).")
    max: StrictInt = Field(ge=1, le=20, description="Nombre maximum d'éléments (20 au plus).")

    @model_validator(mode="after")
    def _ordered(self) -> Repeat:
        if self.min > self.max:
            raise problem(f"min ({self.min}) est plus grand que max ({self.max})", "min")
        return self


class GroupPage(Strict):
    """Une page qui regroupe plusieurs questions sous un titre."""

    id: Identifier = Field(description="Nomme la page dans l'adresse web.")
    title: Text = Field(description="Le titre de la page.")
    questions: Annotated[list[GroupQuestion], Field(min_length=1)] = Field(description="Les questions de la page.")
    when: Condition | None = Field(None, description="Montrer cette page seulement si…")
    repeat: Repeat | None = Field(None, description="Poser la page une fois par élément.")
    for_someone_else: OtherTitle | None = Field(None, description="Le titre quand une personne qui aide fait la "
                                                                  "démarche pour une autre personne.")


def _page_kind(value: Any) -> str:
    return tag("group") if "questions" in value else tag(value["type"])


def _page(value: Any) -> Any:
    return value if isinstance(value, dict) and "questions" in value else _question_type(value)


PageModel = Annotated[Union[Annotated[GroupPage, Tag(tag("group"))],
                            *(Annotated[model, Tag(tag(model.question_type()))] for model in ONE_QUESTION_PAGE_MODELS)],
                      Discriminator(_page_kind), BeforeValidator(_page)]


# Identity answers an earlier answer may prefill: key in the YAML → (identity question id, type).
IDENTITY_PREFILL_FIELDS = {"address": ("identite_adresse", "address"), "email": ("identite_email", "email"),
                           "phone": ("identite_telephone", "phone")}
NO_PREFILL = "none"


class IdentityPrefill(Strict):
    """« Dites-le-nous une fois » : la réponse d'une question de la démarche pré-remplit la question d'identité."""

    address: Text | None = Field(None, description="L'identifiant d'une question « address » de la démarche, "
                                                   "ou « none » : aucune n'est l'adresse de la personne.")
    email: Text | None = Field(None, description="L'identifiant d'une question « email » de la démarche, ou « none ».")
    phone: Text | None = Field(None, description="L'identifiant d'une question « phone » de la démarche, ou « none ».")


class ServiceByAnswer(Strict):
    """Le service qui reçoit la demande dépend d'une réponse (par exemple le sujet choisi)."""

    question: Identifier = Field(description="L'identifiant d'une question à choix (radios, select).")
    services: Annotated[dict[str, Slug], Field(min_length=1)] = Field(
        description="Pour chaque réponse, la clé du service dans le fichier de réglages. Une réponse absente "
                    "va au service de la clé « service ».")


class DemarcheFile(Strict):
    """Une démarche en ligne : un fichier site/forms/<slug>.yaml. Guide : site/forms/README.md."""

    model_config = Strict.model_config | {"title": "Démarche Guichet"}

    slug: Slug = Field(description="Identique au nom du fichier, sans « .yaml ».")
    title: Text = Field(description="Le nom de la démarche, qui commence par un verbe.")
    description: Text = Field(description="Pour qui et pour quoi, en 3 à 5 phrases courtes.")
    what_you_need: NonEmptyTexts = Field(description="« Ce qu'il vous faut » : documents et informations à préparer.")
    estimated_minutes: StrictInt = Field(ge=1, le=120, description="Temps pour remplir, en minutes (1 à 120).")
    service: ServiceRef = Field(description="Une clé de « services » du fichier de réglages, ou le service écrit en "
                                            "entier.")
    service_by_answer: ServiceByAnswer | None = Field(
        None, description="Facultatif : le service change selon une réponse ; « service » reçoit les autres.")
    legal: Legal
    privacy: Privacy
    identity: _choice(IDENTITY_KINDS) = Field(description="Qui fait la démarche : individual, company, association "
                                                          "ou any.")
    declaration: Text = Field(description="La déclaration sur l'honneur cochée avant l'envoi.")
    pages: Annotated[list[PageModel], Field(min_length=1)] = Field(description="Les pages, dans l'ordre.")
    life_events: SlugList = Field([], description="Les événements de vie liés (slugs).")
    fiches: SlugList = Field([], description="Les fiches liées (slugs).")
    after_submit: list[Link] = Field([], description="Les fiches proposées après l'envoi.")
    identity_prefill: IdentityPrefill | None = Field(
        None, description="Obligatoire quand une page demande une adresse, un courriel ou un téléphone : "
                          "quelle réponse pré-remplit la question d'identité du même type.")
    popular: StrictInt = Field(0, ge=0, description="Rang parmi les démarches les plus utilisées (1 = première ; "
                                                    "0 = pas listée).")
