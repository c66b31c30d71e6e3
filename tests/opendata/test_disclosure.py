"""Statistical secrecy: a count under 5 is never published."""
import pytest

from guichet.opendata.disclosure import publishable


@pytest.mark.parametrize(("count", "published"), [
    (0, None),
    (1, None),
    (4, None),
    (5, 5),
    (6, 6),
    (12_345, 12_345),
])
def test_counts_under_five_are_withheld(count, published):
    assert publishable(count) == published

