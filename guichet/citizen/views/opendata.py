"""/donnees: the open datasets under Licence Ouverte 2.0, their columns explained, and their files.

Files have stable addresses (/donnees/demarches.csv, /donnees/demarches.json…); they hold public data
only, never touch the session (no cookie), may be kept an hour and read by any site.
"""
from flask import Blueprint, Response, render_template, url_for

from guichet import db
from guichet.opendata.datasets import DATASETS, KIND_NAMES, LICENCE, LICENCE_URL, WITHHELD, table
from guichet.opendata.formats import as_csv, as_json, json_text, table_schema

blueprint = Blueprint("opendata", __name__)
CACHE = "public, max-age=3600"
NAMES = "any(demarches, fiches, services, 'lieux-d-aide', indicateurs)"


def schema_url(name: str) -> str:
    """Where a dataset's columns are described for programs (the JSON files and the API point there)."""
    return url_for("opendata.schema", name=name, _external=True)


@blueprint.get("/donnees")
def index():
    session = db.session()
    return render_template("opendata/index.html", tables=[table(session, name) for name in DATASETS],
                           licence=LICENCE, licence_url=LICENCE_URL, kinds=KIND_NAMES, withheld=WITHHELD)


@blueprint.get(f"/donnees/<{NAMES}:name>.schema.json")
def schema(name: str):
    return _public(Response(json_text(table_schema(DATASETS[name])), mimetype="application/json"),
                   f"{name}.schema.json")


@blueprint.get(f"/donnees/<{NAMES}:name>.<any(csv, json):extension>")
def download(name: str, extension: str):
    data = table(db.session(), name)
    if extension == "csv":
        response = Response(as_csv(data), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        response = Response(json_text(as_json(data, schema_url(name))), mimetype="application/json")
    return _public(response, f"{name}.{extension}")


def _public(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
