"""Glossary links read as the sentence is written: the term, and its abbreviation when it follows."""
import pytest

from guichet.content.render import link_glossary_terms
from lexicon import load_vocabulary


@pytest.mark.parametrize("html, expected", [
    ("<p>La Caisse d'allocations familiales (CAF) verse l'aide.</p>",
     '<p>La <a class="terme" href="/glossaire/caf" aria-describedby="terme-aide">Caisse d\'allocations familiales '
     "(CAF)</a> verse l'aide.</p>"),
    ("<p>La Caisse d'allocations familiales (voir plus bas) verse l'aide.</p>",
     '<p>La <a class="terme" href="/glossaire/caf" aria-describedby="terme-aide">Caisse d\'allocations familiales'
     "</a> (voir plus bas) verse l'aide.</p>"),
    ("<p>La CAF, puis encore la CAF.</p>",
     '<p>La <a class="terme" href="/glossaire/caf" aria-describedby="terme-aide">CAF</a>, puis encore la CAF.</p>'),
    ("<h2>La CAF</h2><p><a href=\"/aide\">la CAF</a></p>", "<h2>La CAF</h2><p><a href=\"/aide\">la CAF</a></p>"),
])
def test_first_use_of_a_term_is_linked_as_written(html, expected):
    assert link_glossary_terms(html, load_vocabulary()) == expected
