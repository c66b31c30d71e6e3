"""The glossary: every lexicon entry explained in plain French, one page per letter and per term.

One page per letter keeps each page short to read and to load on a weak connection; the index
page is the A–Z navigation.
"""
from string import ascii_uppercase

from flask import Blueprint, abort, render_template

from guichet.content.textfold import fold
from guichet.web.pagecache import cached_page
from lexicon import load_vocabulary

blueprint = Blueprint("glossary", __name__)
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


@blueprint.get("/glossaire")
@cached_page()
def index():
    return render_template("glossary/index.html", letters=entries_by_letter(), alphabet=ascii_uppercase)


@blueprint.get("/glossaire/lettre/<letter>")
@cached_page()
def letter(letter: str):
    letters = entries_by_letter()
    if letter not in letters:
        abort(404)
    return render_template("glossary/letter.html", letters=letters, alphabet=ascii_uppercase, letter=letter,
                           entries=letters[letter])


@blueprint.get("/glossaire/<slug>")
@cached_page()
def term(slug: str):
    entry = load_vocabulary().get(slug)
    if entry is None:
        abort(404)
    return render_template("glossary/term.html", entry=entry, letter=initial(entry.term))
