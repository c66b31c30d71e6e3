"""/donnees: every dataset explained column by column, with its date, as CSV (UTF-8) and JSON at stable addresses."""
import csv
import io

import pytest

from guichet.opendata.datasets import DATASETS
from tests.opendata.helpers import fresh_app, seed_last_month


@pytest.fixture(scope="module")
def data_client(tmp_path_factory):
    app = fresh_app(tmp_path_factory)
    seed_last_month(app)
    return app.test_client()


def test_the_page_documents_every_column_and_links_every_file(data_client):
    html = data_client.get("/donnees").get_data(as_text=True)
    assert "Licence Ouverte 2.0" in html and "Mis à jour le" in html
    for name, dataset in DATASETS.items():
        assert f'href="/donnees/{name}.csv"' in html and f'href="/donnees/{name}.json"' in html
        assert f'href="/donnees/{name}.schema.json"' in html
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html


@pytest.mark.parametrize("name", list(DATASETS))
def test_csv_and_json_hold_the_documented_columns(data_client, name):
    response = data_client.get(f"/donnees/{name}.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "Set-Cookie" not in response.headers and response.headers["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8"))))
    names = [column.name for column in DATASETS[name].columns]
    assert rows[0] == names and len(rows) > 1
    body = data_client.get(f"/donnees/{name}.json").get_json()
    assert body["jeu"] == name and body["licence"] == "Licence Ouverte 2.0" and body["mis_a_jour"]
    assert body["schema"].endswith(f"/donnees/{name}.schema.json")
    described = data_client.get(f"/donnees/{name}.schema.json").get_json()
    assert [field["name"] for field in described["fields"]] == names and described["missingValues"] == [""]
    assert all(list(row) == names for row in body["donnees"]) and len(body["donnees"]) == len(rows) - 1


def test_indicators_file_withholds_small_counts_as_empty_cells(data_client):
    rows = list(csv.DictReader(io.StringIO(data_client.get("/donnees/indicateurs.csv").get_data().decode())))
    shown = [row for row in rows if row["demarche"] == "demande-acte-etat-civil" and row["demandes_recues"]]
    assert len(shown) == 1
    assert shown[0]["demandes_recues"] == "6" and shown[0]["delai_median_jours"] == "3.5"
    assert shown[0]["part_dans_le_delai_legal_pct"] == "100" and shown[0]["satisfaction_moyenne"] == "4.2"
    assert shown[0]["signalements_recus"] == ""  # 3 reports: withheld
    assert all(row["demandes_recues"] in ("", "6") for row in rows)


def test_unknown_file(data_client):
    assert data_client.get("/donnees/inconnu.csv").status_code == 404
    assert data_client.get("/donnees/demarches.xml").status_code == 404
