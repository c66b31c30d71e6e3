"""The glossary reads the lexicon: an A–Z index, one page per letter and one per term."""
import re

from lexicon import load_vocabulary


def test_glossary_letter_pages_list_every_entry(client):
    index = client.get("/glossaire").get_data(as_text=True)
    letters = re.findall(r'href="/glossaire/lettre/([^"]+)"', index)
    assert letters[:3] == ["A", "B", "C"]
    listed = set()
    for letter in letters:
        response = client.get(f"/glossaire/lettre/{letter}")
        assert response.status_code == 200
        listed |= set(re.findall(r'<li><a href="/glossaire/([a-z0-9-]+)"', response.get_data(as_text=True)))
    vocabulary = load_vocabulary()
    assert len(vocabulary.entries) >= 300
    assert listed == {entry.slug for entry in vocabulary.glossary()}


def test_letter_without_entries_is_shown_but_not_a_page(client):
    index = client.get("/glossaire").get_data(as_text=True)
    assert '<span class="lettre-vide">W</span>' in index
    assert client.get("/glossaire/lettre/W").status_code == 404
    assert client.get("/glossaire/lettre/%00").status_code == 404


def test_current_letter_is_marked_for_screen_readers(client):
    html = client.get("/glossaire/lettre/C").get_data(as_text=True)
    assert '<a href="/glossaire/lettre/C" aria-current="page">C</a>' in html


def test_term_page_shows_definition(client):
    entry = load_vocabulary().get("caf")
    html = client.get("/glossaire/caf").get_data(as_text=True)
    assert "<dfn>" in html
    assert entry.definition.replace("'", "&#39;") in html


def test_fiche_links_first_glossary_term_with_announced_definition(client):
    html = client.get("/fiches/rsa").get_data(as_text=True)
    assert 'class="terme" href="/glossaire/' in html
    assert 'aria-describedby="terme-aide"' in html
    assert html.count('id="terme-aide"') == 1
    assert "(définition)" not in html


def test_glossary_link_reads_the_sentence_as_written(client):
    """The abbreviation in brackets belongs to the link; nothing is inserted between name and abbreviation."""
    html = client.get("/fiches/allocation-rentree-scolaire").get_data(as_text=True)
    assert 'aria-describedby="terme-aide">Caisse d\'allocations familiales (CAF)</a>' in html
