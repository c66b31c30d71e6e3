"""Checker thresholds, readable from a ``[tool.lexicon]`` table."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping


class ConfigError(ValueError):
    """A configuration key or value is wrong; the message is in French."""


@dataclass(frozen=True)
class Config:
    score_error: float = 60.0  # Kandel–Moles score under which the text is refused
    score_warning: float = 75.0
    words_per_sentence_error: float = 20.0  # average words per sentence
    words_per_sentence_warning: float = 15.0
    long_sentence_words: int = 25  # a sentence with more words is reported
    paragraph_max_sentences: int = 5
    min_words_for_readability: int = 30  # under this, the score is too unstable to judge
    glossary_links: bool = True  # the site links glossary terms to their definition
    disabled_rules: frozenset[str] = frozenset()
    vocabulary: str | None = None  # vocabulary folder or file; None means lexicon/data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Config":
        """Build from a ``[tool.lexicon]``-like mapping; keys may use "-" or "_"."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = str(raw_key).replace("-", "_")
            if key not in known:
                raise ConfigError(f"option inconnue « {raw_key} » ; options possibles : {', '.join(known)}")
            values[key] = _convert(key, known[key].default, value)
        return cls(**values)

    @classmethod
    def from_pyproject(cls, path: str | Path) -> "Config":
        """Read the ``[tool.lexicon]`` table of a TOML file (defaults when absent)."""
        try:
            with open(path, "rb") as file:
                table = tomllib.load(file).get("tool", {}).get("lexicon", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path} : configuration illisible ({error})") from None
        return cls.from_dict(table)

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)


def _convert(key: str, default: Any, value: Any) -> Any:
    """Check a value's type against the default's, so a typo fails early and clearly."""
    if key == "disabled_rules":
        if not isinstance(value, (list, tuple, set, frozenset)) or not all(isinstance(v, str) for v in value):
            raise ConfigError("« disabled-rules » doit être une liste d'identifiants de règles")
        return frozenset(value)
    if key == "vocabulary":
        if value is not None and not isinstance(value, str):
            raise ConfigError("« vocabulary » doit être un chemin de dossier ou de fichier")
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"« {key} » doit valoir true ou false")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"« {key} » doit être un nombre, pas {value!r}")
    return type(default)(value)
