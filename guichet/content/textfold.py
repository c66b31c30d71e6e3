"""Accent and case folding shared by the search index and search queries."""
import unicodedata


def fold(value: str) -> str:
    """Lower-case, strip accents and unify apostrophes: "Chômage d’été" → "chomage d'ete"."""
    decomposed = unicodedata.normalize("NFKD", value.replace("’", "'").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
