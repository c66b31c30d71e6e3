"""The slots of a day, from a service's weekly pattern, its closures and the public holidays (pure: no database).

A slot is a start time, a length and a number of desks; a booking takes one desk of one slot.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from guichet.requests.deadlines import public_holidays

HORIZON_DAYS = 42  # how far ahead a person may book: six weeks


class Opening(Protocol):
    weekday: int
    opens: time
    closes: time
    slot_minutes: int
    desks: int


@dataclass(frozen=True)
class Slot:
    start: datetime
    minutes: int
    desks: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def is_closed(day: date, closures: Iterable[date], alsace_moselle: bool = False) -> bool:
    """Closed by the service, or a public holiday."""
    return day in set(closures) or day in public_holidays(day.year, alsace_moselle)


def day_slots(openings: Iterable[Opening], day: date, closed: bool) -> list[Slot]:
    """Every slot of the day, in order; none on a closed day."""
    if closed:
        return []
    slots = []
    for opening in openings:
        if opening.weekday != day.weekday():
            continue
        start = datetime.combine(day, opening.opens)
        length = timedelta(minutes=opening.slot_minutes)
        while start + length <= datetime.combine(day, opening.closes):
            slots.append(Slot(start, opening.slot_minutes, opening.desks))
            start += length
    return sorted(slots, key=lambda slot: slot.start)


def free_slots(slots: Iterable[Slot], booked: Mapping[datetime, int], now: datetime) -> list[Slot]:
    """The slots still in the future with at least one desk free; `booked` counts bookings per start."""
    return [slot for slot in slots if slot.start > now and booked.get(slot.start, 0) < slot.desks]


def overlaps(first: Opening, second: Opening) -> bool:
    """Two openings of the same weekday whose hours cross: their slots would be counted twice."""
    return first.weekday == second.weekday and first.opens < second.closes and second.opens < first.closes


def bookable_days(today: date) -> list[date]:
    """The days a person may book, from today."""
    return [today + timedelta(days=offset) for offset in range(HORIZON_DAYS + 1)]
