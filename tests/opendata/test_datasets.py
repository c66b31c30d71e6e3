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
