"""The slots of a day, computed without a database."""
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from guichet.appointments.slots import HORIZON_DAYS, bookable_days, day_slots, free_slots, is_closed, overlaps


def opening(weekday=1, opens=time(9), closes=time(12), minutes=20, desks=2):
    return SimpleNamespace(weekday=weekday, opens=opens, closes=closes, slot_minutes=minutes, desks=desks)


TUESDAY = date(2026, 12, 8)


def test_a_morning_gives_slots_of_the_chosen_length_that_end_before_closing():
    slots = day_slots([opening(minutes=25)], TUESDAY, closed=False)
    assert [slot.start.time() for slot in slots][:3] == [time(9), time(9, 25), time(9, 50)]
    assert slots[-1].end <= datetime.combine(TUESDAY, time(12))
    assert all(slot.desks == 2 for slot in slots)


def test_other_weekdays_and_closed_days_have_no_slot():
    assert day_slots([opening(weekday=2)], TUESDAY, closed=False) == []
    assert day_slots([opening()], TUESDAY, closed=True) == []


def test_public_holidays_and_closures_close_the_day():
    assert is_closed(date(2026, 12, 25), [])
    assert is_closed(date(2027, 3, 29), [])  # Easter Monday 2027
    assert not is_closed(date(2026, 12, 26), [])
    assert is_closed(date(2026, 12, 26), [], alsace_moselle=True)
    assert is_closed(TUESDAY, [TUESDAY])


def test_a_slot_is_free_while_a_desk_is_free_and_it_is_ahead():
    slots = day_slots([opening(closes=time(10))], TUESDAY, closed=False)
    first, second, third = (slot.start for slot in slots)
    now = datetime.combine(TUESDAY, time(9, 10))
    free = free_slots(slots, {second: 2, third: 1}, now)
    assert [slot.start for slot in free] == [third]
    assert first not in [slot.start for slot in free]


def test_overlapping_openings_are_detected():
    assert overlaps(opening(), opening(opens=time(11), closes=time(13)))
    assert not overlaps(opening(), opening(opens=time(12), closes=time(13)))
    assert not overlaps(opening(), opening(weekday=3))


def test_the_horizon_starts_today():
    days = bookable_days(TUESDAY)
    assert days[0] == TUESDAY and days[-1] == TUESDAY + timedelta(days=HORIZON_DAYS)


@given(opens=st.integers(0, 22 * 60), length=st.integers(1, 6 * 60), minutes=st.integers(5, 240),
       desks=st.integers(1, 20))
def test_slots_never_overlap_nor_pass_closing_time(opens, length, minutes, desks):
    start = time(opens // 60, opens % 60)
    end_minutes = min(opens + length, 23 * 60 + 59)
    end = time(end_minutes // 60, end_minutes % 60)
    slots = day_slots([opening(opens=start, closes=end, minutes=minutes, desks=desks)], TUESDAY, closed=False)
    assert len(slots) == (end_minutes - opens) // minutes
    for before, after in zip(slots, slots[1:]):
        assert before.end == after.start
    assert all(slot.end <= datetime.combine(TUESDAY, end) for slot in slots)
