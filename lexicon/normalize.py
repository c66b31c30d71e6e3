"""Text folding shared by the vocabulary, the matcher and the rules.

Folding must keep the text length unchanged, so that a match found in the
folded text has the same offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’‘ʼ′`´"
_EXTRA_FOLDS = {
    **{ord(c): "'" for c in APOSTROPHES},
    0x2011: "-",  # non-breaking hyphen
    0x2010: "-",  # hyphen
    0x00A0: " ",  # no-break space
    0x202F: " ",  # narrow no-break space (French typography before « : ; ! ? »)
    0x2009: " ",  # thin space
}


def _build_fold_table() -> dict[int, str]:
    """One-character-to-one-character table: lower case, no accent."""
    table: dict[int, str] = {}
    for code in range(0x250):  # Basic Latin to Latin Extended-B
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if len(base) == 1 and base != char:
            table[code] = base
    table.update(_EXTRA_FOLDS)
    return table


FOLD_TABLE = _build_fold_table()
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe copy of `text`, same length."""
    return text.translate(FOLD_TABLE)


def fold_phrase(text: str) -> str:
    """Folded form of a phrase with spaces collapsed: the key used for lookups."""
    return _SPACES.sub(" ", fold(text)).strip()


_STRAIGHT_APOSTROPHES = {ord(c): "'" for c in APOSTROPHES}


def clean_phrase(text: str) -> str:
    """Lower-case phrase with accents kept, straight apostrophes, single spaces."""
    return _SPACES.sub(" ", text.translate(_STRAIGHT_APOSTROPHES)).strip().lower()


def sort_key(text: str) -> tuple[str, str]:
    """French dictionary order: accents, case, hyphens and apostrophes ignored first."""
    folded = fold(text).replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^0-9a-z ]", "", folded), folded
