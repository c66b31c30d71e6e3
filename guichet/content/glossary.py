"""The glossary grouped by first letter: the A–Z pages and the sitemap both list it this way."""
from string import ascii_uppercase

from guichet.content.textfold import fold
from lexicon import load_vocabulary

OTHER = "0-9"


def entries_by_letter() -> dict[str, list]:
    """Entries grouped by their folded initial ("É" files under "E"), letters in order."""
    letters: dict[str, list] = {}
    for entry in load_vocabulary().glossary():
        letters.setdefault(initial(entry.term), []).append(entry)
    return {letter: letters[letter] for letter in sorted(letters, key=lambda key: (key == OTHER, key))}


def initial(term: str) -> str:
    first = fold(term)[:1].upper()
    return first if first in ascii_uppercase else OTHER
