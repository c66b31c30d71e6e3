"""The same migrations, content load, search and main routes on a real PostgreSQL server."""
from sqlalchemy import text

from guichet import db
from tests.conftest import csrf_token


def test_migrations_create_the_full_text_column(pg_app):
    with pg_app.app_context():
        columns = db.session().execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'search_entries'")).scalars().all()
    assert "tsv" in columns


def test_main_routes_on_postgres(pg_app):
    client = pg_app.test_client()
    for url in ["/", "/evenements/demenagement", "/fiches/pacs", "/glossaire", "/aide", "/sitemap.xml"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").get_json()["database"] == "ok"


def test_search_with_synonyms_on_postgres(pg_app):
    client = pg_app.test_client()
    assert 'href="/fiches/allocation-chomage"' in client.get("/recherche?q=chômage").get_data(as_text=True)
    assert 'href="/fiches/declarer-naissance"' in client.get("/recherche?q=naissance").get_data(as_text=True)
    assert client.get("/recherche?q=' OR 1=1 --").status_code == 200


def test_report_on_postgres(pg_app):
    client = pg_app.test_client()
    response = client.post("/signalements", data={
        "signalement-csrf_token": csrf_token(client), "signalement-page": "/",
        "signalement-category": "autre", "signalement-text": "Test"})
    assert response.status_code == 302


def test_a_demarche_is_submitted_and_numbered_on_postgres(pg_app):
    import re
    from guichet.demarches.catalogue import catalogue
    from a11y.walker import submit, walk_to_check
    client = pg_app.test_client()
    with pg_app.app_context():
        item = catalogue().get("inscription-cantine")
    references = []
    for _ in range(2):
        receipt = client.get(submit(client, item, walk_to_check(client, item)).headers["Location"])
        references.append(re.search(r"ADM-\d{4}-(\d{6})", receipt.get_data(as_text=True)).group(1))
    assert int(references[1]) == int(references[0]) + 1
