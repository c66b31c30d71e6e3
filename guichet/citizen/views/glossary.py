"""The glossary: every lexicon entry explained in plain French, one page per letter and per term.

One page per letter keeps each page short to read and to load on a weak connection; the index
page is the A–Z navigation.
"""
from string import ascii_uppercase

from flask import Blueprint, abort, render_template

from guichet.content.glossary import entries_by_letter, initial
from guichet.web.pagecache import cached_page
from lexicon import load_vocabulary

blueprint = Blueprint("glossary", __name__)


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
