"""The read-only JSON API /api/v1: the open datasets, paginated, described by /api/v1/openapi.json.

Public data only: no session is read, so no cookie is ever set; any site may read it (CORS `*`), and
answers may be kept an hour. Errors are JSON too (guichet/web/errors.py answers for /api/).
"""
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request, url_for

from guichet import db
from guichet.opendata import openapi
from guichet.opendata.datasets import DATASETS, table
from guichet.opendata.formats import envelope, json_text, pages_count

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
CACHE = "public, max-age=3600"
KEYS = {name: key for _path, name, key in openapi.LISTS}


def _json(body: dict):
    response = Response(json_text(body), mimetype="application/json")
    response.headers["Cache-Control"] = CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _schema_url(name: str) -> str:
    """The dataset's Table Schema, served with the open-data files."""
    return url_for("opendata.schema", name=name, _external=True)


def _positive(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or (maximum and int(raw) > maximum):
        limit = f" et au plus {maximum}" if maximum else ""
        abort(400, f"Le paramètre « {name} » doit être un nombre entier, au moins 1{limit}.")
    return int(raw)


@blueprint.get("/")
def index():
    return _json({"description": "API des données publiques, en lecture seule.",
                  "openapi": url_for("api.description", _external=True),
                  "jeux": {name: url_for("api.listing", name=name, _external=True) for name in DATASETS}})


@blueprint.get("/openapi.json")
def description():
    return _json(openapi.document())


@blueprint.get("/<any(demarches, fiches, services, 'lieux-d-aide', indicateurs):name>")
def listing(name: str):
    page = _positive("page", 1)
    per_page = _positive("par_page", openapi.DEFAULT_PER_PAGE, openapi.MAX_PER_PAGE)
    data = table(db.session(), name)
    rows = data.rows
    if name == "indicateurs" and "demarche" in request.args:
        rows = [row for row in rows if row["demarche"] == request.args["demarche"]]
    pages = pages_count(len(rows), per_page)
    if page > pages:
        abort(404, f"Cette liste n'a que {pages} page(s).")

    def link(number: int) -> str | None:
        if not 1 <= number <= pages:
            return None
        query = [(key, value) for key, value in request.args.items(multi=True) if key not in ("page", "par_page")]
        query += [("page", number), ("par_page", per_page)]
        return f"{url_for('api.listing', name=name, _external=True)}?{urlencode(query)}"

    return _json({**envelope(data, _schema_url(name)), "page": page, "par_page": per_page, "total": len(rows),
                  "pages": pages, "suivante": link(page + 1), "precedente": link(page - 1),
                  "donnees": rows[(page - 1) * per_page:page * per_page]})


@blueprint.get("/<any(demarches, fiches, services):name>/<key>")
def item(name: str, key: str):
    data = table(db.session(), name)
    found = next((row for row in data.rows if row[KEYS[name]] == key), None)
    if found is None:
        abort(404, "Aucun élément n'a ce code.")
    return _json({**envelope(data, _schema_url(name)), "donnees": found})
