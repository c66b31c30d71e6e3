"""A dataset as a file: CSV (UTF-8, comma, header of column names, empty cell for no value) or JSON."""
import csv
import io
import json
import math

from guichet.opendata.datasets import LICENCE, LICENCE_URL, Dataset, Table

# Table Schema (frictionless, as schema.data.gouv.fr uses): our kinds as its types and formats.
TABLE_SCHEMA_TYPES = {"string": ("string", None), "integer": ("integer", None), "number": ("number", None),
                      "date": ("date", None), "uri": ("string", "uri")}


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [column.name for column in table.dataset.columns]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return out.getvalue()


def envelope(table: Table, schema_url: str) -> dict:
    """What every JSON answer says about its data: which dataset, its licence, when it last changed."""
    return {"jeu": table.dataset.name, "titre": str(table.dataset.title), "licence": LICENCE,
            "licence_url": LICENCE_URL, "mis_a_jour": table.updated.isoformat(), "schema": schema_url}


def as_json(table: Table, schema_url: str) -> dict:
    return {**envelope(table, schema_url), "donnees": table.rows}


def table_schema(dataset: Dataset) -> dict:
    """The columns as a Table Schema: what a CSV validator or a reuser's program reads."""
    fields = []
    for column in dataset.columns:
        kind, form = TABLE_SCHEMA_TYPES[column.kind]
        field = {"name": column.name, "type": kind, "description": str(column.description),
                 "constraints": {"required": not column.nullable}}
        fields.append({**field, "format": form} if form else field)
    return {"name": dataset.name, "title": str(dataset.title), "description": str(dataset.description),
            "licenses": [{"title": LICENCE, "path": LICENCE_URL}], "fields": fields, "missingValues": [""]}


def pages_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def json_text(body: dict) -> str:
    """JSON in UTF-8 with the columns in their documented order (Flask's own JSON sorts keys)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
