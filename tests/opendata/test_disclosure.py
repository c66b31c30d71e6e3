"""Statistical secrecy: a count under 5 is never published, nor found by subtraction."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.opendata.disclosure import publishable, withheld_in_table


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



def square(counts: dict) -> list:
    """The lines of a table whose cells are keyed (row, column), with totals under the key "total"."""
    rows = sorted({row for row, column in counts if row != "total" and column != "total"})
    columns = sorted({column for row, column in counts if row != "total" and column != "total"})
    lines = [([(row, column) for column in columns], (row, "total")) for row in rows]
    lines += [([(row, column) for row in rows], ("total", column)) for column in columns]
    lines += [([(row, "total") for row in rows], ("total", "total")),
              ([("total", column) for column in columns], ("total", "total"))]
    return lines


def table(cells: dict) -> dict:
    """Cells plus their row, column and grand totals."""
    counts = dict(cells)
    for row in {row for row, _column in cells}:
        counts[(row, "total")] = sum(count for (r, _c), count in cells.items() if r == row)
    for column in {column for _row, column in cells}:
        counts[("total", column)] = sum(count for (_r, c), count in cells.items() if c == column)
    counts[("total", "total")] = sum(cells.values())
    return counts


@pytest.mark.parametrize(("cells", "withheld"), [
    # One small month in a busy row: the smallest other month goes with it, the total stays (in a table of
    # one row, each month's total is that month: it goes too).
    ({("a", 1): 10, ("a", 2): 7, ("a", 3): 3}, {("a", 3), ("a", 2), ("total", 3), ("total", 2)}),
    # Two small months hide each other.
    ({("a", 1): 10, ("a", 2): 2, ("a", 3): 3}, {("a", 2), ("a", 3), ("total", 2), ("total", 3)}),
    # A small total: every month is small too.
    ({("a", 1): 1, ("a", 2): 2}, {("a", 1), ("a", 2), ("a", "total"), ("total", 1), ("total", 2),
                                  ("total", "total")}),
    # What a row gives up opens a column, and so on until every line is safe.
    ({("a", 1): 10, ("a", 2): 3, ("b", 1): 8, ("b", 2): 9}, {("a", 1), ("a", 2), ("b", 1), ("b", 2)}),
])
def test_a_table_withholds_what_subtraction_would_reveal(cells, withheld):
    counts = table(cells)
    assert withheld_in_table(counts, square(counts)) == withheld


@given(st.dictionaries(st.tuples(st.sampled_from("abc"), st.integers(1, 4)), st.integers(0, 12), min_size=1))
def test_no_line_ever_has_a_single_withheld_count(cells):
    counts = table(cells)
    lines = [(line_cells, total) for line_cells, total in square(counts)
             if all(key in counts for key in (*line_cells, total))]
    withheld = withheld_in_table(counts, lines)
    assert {key for key, count in counts.items() if count < 5} <= withheld
    for line_cells, total in lines:
        assert sum(key in withheld for key in (*line_cells, total)) != 1
