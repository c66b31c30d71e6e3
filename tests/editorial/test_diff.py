from hypothesis import given
from hypothesis import strategies as st

from guichet.editorial.diff import changed, word_diff


def test_a_replaced_word_is_removed_then_added():
    pieces = word_diff("Vous devez venir demain.", "Vous pouvez venir demain.")
    assert [(piece.kind, piece.text) for piece in pieces] == [
        ("same", "Vous "), ("removed", "devez"), ("added", "pouvez"), ("same", " venir demain.")]
    assert changed(pieces) == 2


def test_identical_texts_have_no_change():
    assert changed(word_diff("Un texte.\n\nDeux.", "Un texte.\n\nDeux.")) == 0


@given(st.text(max_size=200), st.text(max_size=200))
def test_both_texts_can_be_read_back_from_the_pieces(old, new):
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.kind != "added") == old
    assert "".join(p.text for p in pieces if p.kind != "removed") == new
