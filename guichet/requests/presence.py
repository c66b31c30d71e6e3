"""Who else has a request open: a soft lock that informs ("aussi ouverte par…") and never blocks.

Presence lives in the database (table request_presence), so it works across several servers. Each view of
the request page marks the member present; while the page stays open it refreshes that mark every
`POLL_SECONDS`; a mark older than `TIMEOUT` means the colleague has left (closed tab, lost connection).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guichet.requests.models import RequestPresence

POLL_SECONDS = 30
TIMEOUT = timedelta(minutes=2)


@dataclass(frozen=True)
class Mark:
    staff_id: int
    since: datetime
    seen_at: datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def is_current(mark: Mark, now: datetime, timeout: timedelta = TIMEOUT) -> bool:
    return as_utc(mark.seen_at) >= now - timeout


def others_present(marks: list[Mark], me: int, now: datetime, timeout: timedelta = TIMEOUT) -> list[Mark]:
    """The colleagues (never `me`) whose mark is recent enough, the one who came first first."""
    return sorted((mark for mark in marks if mark.staff_id != me and is_current(mark, now, timeout)),
                  key=lambda mark: (as_utc(mark.since), mark.staff_id))


def next_mark(previous: Mark | None, staff_id: int, now: datetime, timeout: timedelta = TIMEOUT) -> Mark:
    """A fresh visit starts a new "since"; a visit that continues (recent mark) keeps its start."""
    if previous is None or not is_current(previous, now, timeout):
        return Mark(staff_id, now, now)
    return Mark(staff_id, previous.since, now)


def mark_present(db: Session, request_id: int, staff_id: int, now: datetime) -> None:
    """Record that this member has the request open now (the caller commits)."""
    row = db.get(RequestPresence, (request_id, staff_id))
    previous = Mark(row.staff_id, row.since, row.seen_at) if row else None
    mark = next_mark(previous, staff_id, now)
    if row is not None:
        row.since, row.seen_at = mark.since, mark.seen_at
        return
    try:
        with db.begin_nested():  # the same member opening it in two tabs on two servers at once
            db.add(RequestPresence(request_id=request_id, staff_id=staff_id, since=mark.since, seen_at=now))
    except IntegrityError:
        row = db.get(RequestPresence, (request_id, staff_id), populate_existing=True)
        row.seen_at = now


def colleagues_present(db: Session, request_id: int, me: int, now: datetime) -> list[Mark]:
    rows = db.scalars(select(RequestPresence).where(RequestPresence.request_id == request_id))
    return others_present([Mark(row.staff_id, row.since, row.seen_at) for row in rows], me, now)
