"""Search: GET without JS, synonyms from the lexicon, helpful empty and no-result states."""
import pytest


def titles(client, query: str) -> str:
    return client.get("/recherche", query_string={"q": query}).get_data(as_text=True)


def test_empty_search_suggests_words_and_help(client):
    html = client.get("/recherche").get_data(as_text=True)
    assert "Quelques idées" in html and 'href="/evenements"' in html


def test_search_finds_a_fiche_by_its_title_words(client):
    html = titles(client, "carte grise")
    assert 'href="/fiches/changer-adresse-carte-grise"' in html


def test_search_ignores_accents_and_case(client):
    assert 'href="/fiches/declarer-naissance"' in titles(client, "NAISSANCE")
    assert 'href="/fiches/pacs"' in titles(client, "pacs")
    assert titles(client, "demenagement").count('href="/') > titles(client, "zzz").count('href="/')


def test_plain_word_finds_the_official_term_through_the_lexicon(client):
    html = titles(client, "chômage")
    assert 'href="/fiches/allocation-chomage"' in html


def test_search_covers_events_and_demarches(client):
    html = titles(client, "déménage")
    assert 'href="/evenements/demenagement"' in html
    assert 'href="/demarches/changement-adresse"' in titles(client, "changement d'adresse")


def test_no_result_state_is_helpful(client):
    html = titles(client, "xylophone quantique")
    assert "Aucun résultat" in html and 'href="/aide"' in html


@pytest.mark.parametrize("query", ['"', "NEAR(", "a OR", "*", "-", "pacs\"*)", "' OR 1=1 --"])
def test_search_syntax_characters_never_break(client, query):
    assert client.get("/recherche", query_string={"q": query}).status_code == 200


def test_htmx_search_returns_results_only(client):
    response = client.get("/recherche", query_string={"q": "cantine"},
                          headers={"HX-Request": "true", "HX-Target": "resultats"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="resultats"' in html and 'data-hx-swap-oob' in html


def english_titles(client, query: str) -> str:
    """The results page for a search made with the English interface."""
    client.get("/langue/en")
    try:
        return titles(client, query)
    finally:
        client.get("/langue/fr")


def test_english_search_finds_english_fiches(client):
    assert 'href="/fiches/declarer-naissance"' in english_titles(client, "birth")


def test_markup_is_not_searchable(client):
    assert 'href="/fiches/' not in english_titles(client, "span lang")
