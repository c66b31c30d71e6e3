"""The OpenAPI 3.1 description of /api/v1, built from the datasets' columns (one schema for files and API)."""
from flask_babel import force_locale

from guichet.opendata.datasets import DATASETS, LICENCE, LICENCE_URL, Column

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
KINDS = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
         "date": {"type": "string", "format": "date"}, "uri": {"type": "string", "format": "uri"}}
# Each list of the API: its path, its dataset, and the key of one item (None: the list is the only way in).
LISTS = (("/demarches", "demarches", "demarche"), ("/fiches", "fiches", "fiche"), ("/services", "services", "service"),
         ("/lieux-d-aide", "lieux-d-aide", None), ("/indicateurs", "indicateurs", None))


def column_schema(column: Column) -> dict:
    kind = dict(KINDS[column.kind])
    if column.nullable:
        kind["type"] = [kind["type"], "null"]
    return {**kind, "description": str(column.description)}


def item_schema(name: str) -> dict:
    columns = DATASETS[name].columns
    return {"type": "object", "additionalProperties": False, "required": [column.name for column in columns],
            "properties": {column.name: column_schema(column) for column in columns}}


ENVELOPE = {"jeu": {"type": "string"}, "titre": {"type": "string"}, "licence": {"type": "string"},
            "licence_url": {"type": "string", "format": "uri"}, "mis_a_jour": {"type": "string", "format": "date"},
            "schema": {"type": "string"}}
PAGE = {"page": {"type": "integer", "minimum": 1}, "par_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0}, "pages": {"type": "integer", "minimum": 1},
        "suivante": {"type": ["string", "null"]}, "precedente": {"type": ["string", "null"]}}
ERROR = {"type": "object", "required": ["erreur", "message"],
         "properties": {"erreur": {"type": "integer"}, "message": {"type": "string"}}}
CACHE_HEADER = {"Cache-Control": {"schema": {"type": "string"}, "description": "Combien de temps garder la réponse."}}


def _list_schema(name: str) -> dict:
    return {"type": "object", "required": [*ENVELOPE, *PAGE, "donnees"],
            "properties": {**ENVELOPE, **PAGE, "donnees": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "headers": CACHE_HEADER, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/erreur"}}}}


PAGING = [
    {"name": "page", "in": "query", "required": False, "description": "Le numéro de la page, à partir de 1.",
     "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "par_page", "in": "query", "required": False,
     "description": f"Le nombre d'éléments par page, {MAX_PER_PAGE} au plus.",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}},
]
DEMARCHE_FILTER = {"name": "demarche", "in": "query", "required": False,
                   "description": "Seulement les indicateurs de cette démarche (son code).",
                   "schema": {"type": "string"}}


def document() -> dict:
    """The whole description, in French (the data's language)."""
    with force_locale("fr"):
        paths, schemas = {}, {"erreur": ERROR}
        for path, name, key in LISTS:
            dataset = DATASETS[name]
            schemas[name] = item_schema(name)
            parameters = PAGING + ([DEMARCHE_FILTER] if name == "indicateurs" else [])
            paths[path] = {"get": {
                "operationId": f"liste-{name}", "summary": str(dataset.title), "description": str(dataset.description),
                "parameters": parameters,
                "responses": {"200": _json(_list_schema(name), "Une page de la liste."),
                              "400": _error("Un paramètre n'est pas valide."),
                              "404": _error("Cette page de la liste n'existe pas.")}}}
            if key:
                paths[f"{path}/{{{key}}}"] = {"get": {
                    "operationId": f"un-element-{name}", "summary": f"{dataset.title} : un élément",
                    "parameters": [{"name": key, "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json({"type": "object", "required": [*ENVELOPE, "donnees"], "properties": {
                        **ENVELOPE, "donnees": {"$ref": f"#/components/schemas/{name}"}}}, "L'élément."),
                        "404": _error("Aucun élément n'a ce code.")}}}
        return {
            "openapi": "3.1.0",
            "info": {"title": "API des données publiques du guichet", "version": "1.0.0",
                     "description": "Lecture seule. Les données sont publiées sous " + LICENCE + ". "
                                    "Un nombre inférieur à 5 n'est jamais publié : sa valeur est null.",
                     "license": {"name": LICENCE, "url": LICENCE_URL}},
            "servers": [{"url": "/api/v1"}],
            "paths": paths,
            "components": {"schemas": schemas},
        }
