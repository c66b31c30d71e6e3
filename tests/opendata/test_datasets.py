"""The datasets: rows carry exactly the documented columns; help points' coordinates are read when present."""
import pytest

from guichet import db
from guichet.opendata.datasets import DATASETS, coordinates, table


@pytest.mark.parametrize("name", list(DATASETS))
def test_rows_have_the_documented_columns_and_types(app, name):
    kinds = {"string": str, "uri": str, "date": str, "integer": int, "number": (int, float)}
    with app.test_request_context():
        data = table(db.session(), name)
    assert data.rows and data.updated
    for row in data.rows:
        assert list(row) == [column.name for column in data.dataset.columns]
        for column in data.dataset.columns:
            value = row[column.name]
            assert (value is None and column.nullable) or isinstance(value, kinds[column.kind]), (column.name, value)


def test_demarches_say_their_legal_regime_and_service(app):
    with app.test_request_context():
        rows = {row["demarche"]: row for row in table(db.session(), "demarches").rows}
    assert rows["occupation-domaine-public"]["decision_implicite"] == "rejet"
    assert rows["changement-adresse"]["decision_implicite"] == "aucune"
    assert rows["demande-acte-etat-civil"]["service"] == "etat-civil"


@pytest.mark.parametrize(("point", "expected"), [
    ({"name": "A"}, (None, None)),
    ({"latitude": 48.85, "longitude": 2.35}, (48.85, 2.35)),
    ({"coordinates": {"latitude": 45, "longitude": -1.5}}, (45.0, -1.5)),
    ({"latitude": "48.85", "longitude": 2.35}, (None, None)),
    ({"latitude": 48.85}, (None, None)),
    ({"coordinates": "48.85, 2.35"}, (None, None)),
])
def test_help_point_coordinates_when_known(point, expected):
    assert coordinates(point) == expected


def test_help_points_publish_the_accessibility_shown_on_the_help_points_page(app):
    with app.test_request_context():
        rows = table(db.session(), "lieux-d-aide").rows
        points = app.config["SETTINGS"]["help_points"]
    assert [row["accessibilite"] for row in rows] == [point.get("accessibility") for point in points]
    assert any(row["accessibilite"] for row in rows)
    assert list(rows[0])[-1] == "accessibilite"  # a new column goes at the end: the API keeps its order


def test_the_accessibility_column_is_in_every_format_and_documented(app):
    client = app.test_client()
    first = app.config["SETTINGS"]["help_points"][0]
    csv_text = client.get("/donnees/lieux-d-aide.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].endswith(",accessibilite") and first["accessibility"] in csv_text
    body = client.get("/donnees/lieux-d-aide.json").get_json()
    assert body["donnees"][0]["accessibilite"] == first["accessibility"]
    field = client.get("/donnees/lieux-d-aide.schema.json").get_json()["fields"][-1]
    assert field["name"] == "accessibilite" and field["type"] == "string"
    assert "<code>accessibilite</code>" in client.get("/donnees").get_data(as_text=True)
    assert client.get("/api/v1/lieux-d-aide").get_json()["donnees"][0]["accessibilite"] == first["accessibility"]
