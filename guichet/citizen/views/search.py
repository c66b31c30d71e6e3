"""Search over fiches, life events and démarches; GET only, with htmx live results as an extra."""
import math

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale

from lexicon import load_vocabulary

from guichet import db, htmx
from guichet.content.search import MAX_QUERY_LENGTH, search
from guichet.db import utcnow
from guichet.indicators import searches
from guichet.requests.mails import local_day

blueprint = Blueprint("search", __name__)
PAGE_SIZE = 10


@blueprint.get("/recherche")
def results():
    query = (request.args.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    found = search(db.session(), query, str(get_locale()), load_vocabulary().synonyms) if query else []
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    fragment = bool(htmx) and htmx.target == "resultats"
    if query and not found and not fragment:  # live results as one types would count every half-word
        searches.record_miss(db.session(), query, local_day(utcnow()))
        db.session().commit()
    return render_template("search/_results.html" if fragment else "search/results.html", query=query,
                           results=found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], total=len(found), page=page,
                           pages=pages, page_url=lambda number: url_for("search.results", q=query, page=number),
                           fragment=fragment)
