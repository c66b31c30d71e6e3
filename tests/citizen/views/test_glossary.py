"""The glossary reads the lexicon: an index and one page per term."""
from lexicon import load_vocabulary


def test_glossary_index_lists_every_entry(client):
    html = client.get("/glossaire").get_data(as_text=True)
    vocabulary = load_vocabulary()
    assert len(vocabulary.entries) >= 300
    assert html.count('href="/glossaire/') >= len(vocabulary.entries)


def test_term_page_shows_definition(client):
    entry = load_vocabulary().get("caf")
    html = client.get("/glossaire/caf").get_data(as_text=True)
    assert "<dfn>" in html
    assert entry.definition.replace("'", "&#39;") in html


def test_fiche_links_first_glossary_term_with_announced_definition(client):
    html = client.get("/fiches/rsa").get_data(as_text=True)
    assert 'class="terme" href="/glossaire/' in html
    assert '<span class="visuellement-cache"> (définition)</span>' in html
