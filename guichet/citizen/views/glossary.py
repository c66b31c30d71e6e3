"""The glossary: every lexicon entry explained in plain French, one page per term."""
from flask import Blueprint, abort, render_template

from lexicon import load_vocabulary

blueprint = Blueprint("glossary", __name__)


@blueprint.get("/glossaire")
def index():
    entries = load_vocabulary().glossary()
    letters: dict[str, list] = {}
    for entry in entries:
        letters.setdefault(_initial(entry.term), []).append(entry)
    return render_template("glossary/index.html", letters=letters)


@blueprint.get("/glossaire/<slug>")
def term(slug: str):
    entry = load_vocabulary().get(slug)
    if entry is None:
        abort(404)
    return render_template("glossary/term.html", entry=entry)


def _initial(term: str) -> str:
    from guichet.content.textfold import fold
    first = fold(term)[:1].upper()
    return first if first.isalpha() else "#"
