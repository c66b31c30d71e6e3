"""What every data file model shares: strict mappings, plain texts and slugs, and errors in plain French.

The one place that words structural errors for every data file the project validates with
pydantic: démarche definitions, fiche and life-event front matter, organisation settings and
the vocabulary. Errors become a key path an editor can find (`pages[3].questions[0].options`)
and one plain French sentence. It lives in `lexicon` (the plain-language package) because
`guichet` imports `lexicon` and never the reverse.

Our own validators raise `problem(...)`: a French sentence, and optionally the keys below
the failing mapping it is about (`at`), so "min is greater than max" points at `min`.
Union tags (`tag("radios")` → "<radios>") are how a model is chosen; they never show.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

MAPPING = "doit contenir des clés (« clé: valeur »), une par ligne"
YAML_BOOLEAN = "YAML a lu « oui/non » (yes, no, on, off…) : mettez ce texte entre guillemets"
NON_EMPTY_LIST = "doit être une liste non vide (une ligne « - » par élément)"
# Sentences for the regular expressions models use, registered by `plain_pattern`.
_PATTERNS: dict[str, str] = {}


def tag(name: str) -> str:
    """The tag of one member of a discriminated union; left out of key paths."""
    return f"<{name}>"


def plain_pattern(regex: str, sentence: str) -> str:
    """Register what a pattern means in plain words; returns the pattern for `Field(pattern=…)`."""
    _PATTERNS[regex] = sentence
    return regex


def problem(sentence: str, *at: str | int) -> PydanticCustomError:
    """An error raised by our validators; `at` are the keys below the mapping being validated."""
    return PydanticCustomError("guichet", sentence, {"at": at})


class Strict(BaseModel):
    """A mapping with known keys only: unknown keys are usually typos, so they are refused by name.

    `refused` gives a better sentence than "clé inconnue" for keys that belong elsewhere;
    `missing` does the same for required keys that need an explanation.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    refused: ClassVar[dict[str, str]] = {}
    missing: ClassVar[dict[str, str]] = {}

    @classmethod
    def refusal(cls, key: str) -> str | None:
        return cls.refused.get(key)

    @classmethod
    def missing_sentences(cls) -> dict[str, str]:
        return cls.missing

    @classmethod
    def keys(cls) -> list[str]:
        return [field.alias or name for name, field in cls.model_fields.items()]

    @model_validator(mode="before")
    @classmethod
    def _known_keys_only(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise problem(MAPPING)
        allowed = cls.keys()
        for key in data:
            if key in allowed:
                continue
            sentence = cls.refusal(str(key))
            raise problem(sentence or f"clé inconnue « {key} ». Clés possibles ici : {', '.join(sorted(allowed))}",
                          str(key))
        for key, sentence in cls.missing_sentences().items():
            if key not in data:
                raise problem(sentence, key)
        return data


def plain_text(value: Any) -> Any:
    """Texts are trimmed; YAML's yes/no/on/off arrive as booleans and need quotes."""
    if value is None:
        raise problem("texte obligatoire manquant")
    if isinstance(value, bool):
        raise problem(YAML_BOOLEAN)
    if not isinstance(value, str) or not value.strip():
        raise problem("doit être un texte non vide")
    return value.strip()


def _unique(values: list) -> list:
    for index, value in enumerate(values):
        if value in values[:index]:
            raise problem(f"« {value} » est déjà dans la liste", index)
    return values


SLUG_PATTERN = plain_pattern(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "lettres minuscules sans accent, chiffres et tirets")
Text = Annotated[str, BeforeValidator(plain_text), Field(min_length=1, pattern=r"\S")]
Slug = Annotated[str, BeforeValidator(plain_text), Field(pattern=SLUG_PATTERN)]
SlugList = Annotated[list[Slug], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})]
NonEmptyTexts = Annotated[list[Text], Field(min_length=1)]


def unique_list(item: Any) -> Any:
    """A list in which each item appears once."""
    return Annotated[list[item], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})]


def location(error: dict) -> tuple[str | int, ...]:
    """The error's key path without union tags, plus the keys our own validators name."""
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("<"))
                and part != "[key]")  # pydantic's marker for a mapping key, named by the part before it
    return loc + tuple((error.get("ctx") or {}).get("at", ()))


def format_location(loc: tuple[str | int, ...]) -> str:
    """('pages', 3, 'questions', 0, 'options') → "pages[3].questions[0].options"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _choices(expected: str) -> str:
    """Pydantic writes "'a', 'b' or 'c'"; we write "a, b, c"."""
    return ", ".join(single or double for single, double in re.findall(r"'([^']*)'|\"([^\"]*)\"", expected))


def sentence(error: dict) -> str:
    """One plain French sentence for one pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "guichet":
        return error["msg"]
    if kind == "missing":
        return "clé obligatoire manquante"
    if isinstance(value, bool) and kind in ("string_type", "literal_error"):
        return YAML_BOOLEAN
    if value is None and kind.endswith("_type"):
        return "valeur obligatoire manquante"
    return _SENTENCES.get(kind, _fallback)(value, ctx)


def _fallback(value: Any, ctx: dict) -> str:
    return f"valeur refusée : {value!r}"


def _too_short(value: Any, ctx: dict) -> str:
    if isinstance(value, str):
        return "doit être un texte non vide"
    return NON_EMPTY_LIST if ctx.get("min_length") == 1 else f"doit contenir au moins {ctx.get('min_length')} éléments"


def _too_long(value: Any, ctx: dict) -> str:
    if isinstance(value, str):
        return f"trop long ({len(value)} caractères, maximum {ctx.get('max_length')})"
    return f"doit contenir au plus {ctx.get('max_length')} éléments"


def _pattern(value: Any, ctx: dict) -> str:
    return f"« {value} » : {_PATTERNS.get(ctx.get('pattern'), 'cette forme n’est pas possible')}"


_SENTENCES = {
    "string_type": lambda value, ctx: "doit être un texte non vide",
    "int_type": lambda value, ctx: "doit être un nombre entier",
    "int_parsing": lambda value, ctx: "doit être un nombre entier",
    "int_from_float": lambda value, ctx: "doit être un nombre entier",
    "float_type": lambda value, ctx: "doit être un nombre",
    "bool_type": lambda value, ctx: "écrivez true (oui) ou false (non)",
    "date_type": lambda value, ctx: "date obligatoire au format AAAA-MM-JJ",
    "date_parsing": lambda value, ctx: "date obligatoire au format AAAA-MM-JJ",
    "date_from_datetime_parsing": lambda value, ctx: "date obligatoire au format AAAA-MM-JJ",
    "list_type": lambda value, ctx: "doit être une liste (une ligne « - » par élément)",
    "dict_type": lambda value, ctx: MAPPING,
    "model_type": lambda value, ctx: MAPPING,
    "greater_than_equal": lambda value, ctx: f"doit être au moins {ctx.get('ge')}",
    "less_than_equal": lambda value, ctx: f"doit être au plus {ctx.get('le')}",
    "literal_error": lambda value, ctx: f"« {value} » n'est pas possible. Choix possibles : "
                                        f"{_choices(str(ctx.get('expected', '')))}",
    "string_pattern_mismatch": _pattern,
    "too_short": _too_short,
    "too_long": _too_long,
    "extra_forbidden": lambda value, ctx: "clé inconnue",
}


def plain_errors(error: ValidationError) -> list[tuple[str, str]]:
    """Every error as (key path, sentence), in pydantic's order; the path is "" for the whole file."""
    return [(format_location(location(item)), sentence(item)) for item in error.errors()]
