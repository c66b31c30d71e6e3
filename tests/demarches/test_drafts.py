"""The idle deadline by mode: only a shared computer has one."""
from datetime import datetime, timedelta, timezone

from guichet.demarches.drafts import deadline_for

SEEN = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
LIMIT = timedelta(minutes=20)


def test_a_shared_computer_has_a_deadline_after_the_idle_limit():
    assert deadline_for(SEEN, shared=True, limit=LIMIT) == datetime(2026, 3, 2, 10, 20, tzinfo=timezone.utc)


def test_a_personal_device_has_no_idle_deadline():
    assert deadline_for(SEEN, shared=False, limit=LIMIT) is None


def test_naive_times_from_sqlite_are_read_as_utc():
    naive = SEEN.replace(tzinfo=None)
    assert deadline_for(naive, shared=True, limit=LIMIT) == SEEN + LIMIT
