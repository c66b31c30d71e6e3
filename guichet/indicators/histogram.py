"""Durations kept as small histograms ({value: count}), so daily roll-ups add up and still give a median.

Seconds are rounded (5 s under a minute, 30 s under 10 minutes, 5 minutes under an hour, then capped at
one hour): a median read from the sum of many days is exact to that rounding. Days are kept exactly.
"""
from collections import Counter
from collections.abc import Iterable

ONE_HOUR = 3600


def seconds_key(seconds: float) -> str:
    """The rounded value a duration on a step is counted under."""
    value = max(0, int(seconds))
    if value < 60:
        value -= value % 5
    elif value < 600:
        value -= value % 30
    elif value < ONE_HOUR:
        value -= value % 300
    else:
        value = ONE_HOUR
    return str(value)


def add(histogram: dict, key: str, count: int = 1) -> None:
    histogram[key] = histogram.get(key, 0) + count


def merge(histograms: Iterable[dict]) -> Counter:
    total: Counter = Counter()
    for histogram in histograms:
        for key, count in (histogram or {}).items():
            total[int(key)] += count
    return total


def quantile(histogram: Counter, share: float) -> int | None:
    """The smallest value with at least `share` of the counts at or below it; None when empty."""
    total = sum(histogram.values())
    if not total:
        return None
    needed, seen = share * total, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= needed:
            return value
    return None
