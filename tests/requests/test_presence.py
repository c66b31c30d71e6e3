"""Who else has a request open: table tests of the pure rules."""
from datetime import datetime, timedelta, timezone

import pytest

from guichet.requests.presence import TIMEOUT, Mark, next_mark, others_present

NOW = datetime(2027, 1, 12, 13, 2, tzinfo=timezone.utc)


def ago(**delta):
    return NOW - timedelta(**delta)


@pytest.mark.parametrize("marks, me, expected", [
    ([], 1, []),
    ([Mark(1, ago(minutes=5), ago(seconds=10))], 1, []),                                  # only me
    ([Mark(2, ago(minutes=5), ago(seconds=10))], 1, [2]),                                 # a colleague
    ([Mark(2, ago(minutes=5), ago(minutes=2))], 1, [2]),                                  # exactly at the limit
    ([Mark(2, ago(minutes=5), ago(minutes=2, seconds=1))], 1, []),                        # gone
    ([Mark(3, ago(minutes=1), NOW), Mark(2, ago(minutes=9), NOW), Mark(1, ago(hours=1), NOW)], 1, [2, 3]),
    ([Mark(2, ago(minutes=1).replace(tzinfo=None), NOW.replace(tzinfo=None))], 1, [2]),  # SQLite: naive UTC
])
def test_others_present(marks, me, expected):
    assert [mark.staff_id for mark in others_present(marks, me, NOW)] == expected


@pytest.mark.parametrize("previous, expected_since", [
    (None, NOW),                                                   # first visit
    (Mark(1, ago(minutes=10), ago(seconds=30)), ago(minutes=10)),  # the page stayed open: same start
    (Mark(1, ago(hours=2), ago(hours=1)), NOW),                    # came back later: a new start
])
def test_next_mark(previous, expected_since):
    mark = next_mark(previous, 1, NOW)
    assert mark.since == expected_since and mark.seen_at == NOW and mark.staff_id == 1


def test_polling_keeps_a_colleague_present():
    """The page polls every 30 s: far below the timeout, so an open page never disappears."""
    from guichet.requests.presence import POLL_SECONDS
    assert timedelta(seconds=POLL_SECONDS) * 3 < TIMEOUT
