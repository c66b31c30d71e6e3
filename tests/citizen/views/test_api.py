"""The read-only JSON API: its OpenAPI description, pagination, JSON errors, no cookie, cache and CORS headers;
and schemathesis fuzzing every operation against the description (no server error, every answer as described)."""
import pytest
import schemathesis
from hypothesis import given, settings

from guichet.opendata.datasets import DATASETS
from guichet.opendata.openapi import LISTS

# Every operation of the description, by path (the pytest plugin of schemathesis 4.32 does not run on pytest 9).
LIST_OPERATIONS = [path for path, _name, _key in LISTS]
OPERATIONS = LIST_OPERATIONS + [f"{path}/{{{key}}}" for path, _name, key in LISTS if key]
# Invalid requests exist only where a parameter has limits (the lists' page numbers): any text is a valid code.
FUZZED = [(path, schemathesis.GenerationMode.POSITIVE) for path in OPERATIONS] + \
    [(path, schemathesis.GenerationMode.NEGATIVE) for path in LIST_OPERATIONS]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema):
    described = {result.ok().path for result in api_schema.get_all_operations()}
    assert described == set(OPERATIONS)


@pytest.mark.parametrize(("path", "mode"), FUZZED)
def test_the_api_answers_as_its_description_says(api_schema, path, mode):
    """Valid requests get their described answer; invalid ones (a page 0, a letter for a number…) a 4xx."""
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=12)  # per operation; derandomised under CI by the "guichet" profile
    def fuzz(case):
        # The in-process (WSGI) transport reads bodies as sent: ask for them uncompressed.
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    fuzz()


def public_headers_only(response) -> None:
    assert "Set-Cookie" not in response.headers
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_the_description_is_openapi_3_1_and_covers_every_dataset(client):
    response = client.get("/api/v1/openapi.json")
    document = response.get_json()
    public_headers_only(response)
    assert document["openapi"] == "3.1.0"
    assert set(DATASETS) <= set(document["components"]["schemas"])
    assert "/demarches/{demarche}" in document["paths"] and "/indicateurs" in document["paths"]


def test_lists_are_paginated_with_links(client):
    response = client.get("/api/v1/fiches?par_page=5&page=2")
    body = response.get_json()
    public_headers_only(response)
    assert body["page"] == 2 and body["par_page"] == 5 and len(body["donnees"]) == 5
    assert body["total"] >= 24 and body["pages"] == -(-body["total"] // 5)
    assert body["suivante"].endswith("/api/v1/fiches?page=3&par_page=5")
    assert body["precedente"].endswith("/api/v1/fiches?page=1&par_page=5")
    assert body["licence"] == "Licence Ouverte 2.0" and body["mis_a_jour"]


def test_links_keep_any_other_parameter(client):
    body = client.get("/api/v1/indicateurs?name=x&_external=1&demarche=changement-adresse&par_page=5").get_json()
    assert body["suivante"].endswith("/api/v1/indicateurs?name=x&_external=1&demarche=changement-adresse&page=2&par_page=5")


def test_one_item_and_the_indicators_of_one_demarche(client):
    body = client.get("/api/v1/demarches/demande-acte-etat-civil").get_json()
    assert body["donnees"]["decision_implicite"] == "acceptation"
    assert body["donnees"]["delai_decision_implicite_mois"] == 2
    indicators = client.get("/api/v1/indicateurs?demarche=changement-adresse&par_page=100").get_json()
    assert indicators["total"] == 12 and {row["demarche"] for row in indicators["donnees"]} == {"changement-adresse"}


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/demarches/inconnue", 404),
    ("/api/v1/rien", 404),
    ("/api/v1/fiches?page=999", 404),
    ("/api/v1/fiches?page=0", 400),
    ("/api/v1/fiches?par_page=101", 400),
    ("/api/v1/fiches?page=%C2%B2", 400),  # "²" is a digit to str.isdigit, not a page number
])
def test_errors_are_json_in_french_without_cookie(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.get_json()["erreur"] == status and response.get_json()["message"]
    assert "Set-Cookie" not in response.headers


def test_the_api_is_read_only(client):
    response = client.post("/api/v1/demarches")
    assert response.status_code == 405 and response.get_json()["erreur"] == 405
