"""Every legal deadline of a request, in one pure module (no database, no Flask).

The rules (see /work/shared/reference: decree 2015-1404 art. 8, CRPA L114-5, L231-1):
- the implicit decision happens a number of months (or days) after the day of receipt; a delay in
  months ends on the same day number, or on the last day of a shorter month;
- missing documents: for an implicit ACCEPTANCE the delay only starts on the day all missing items are
  received (it restarts from zero); for an implicit REJECTION it is suspended for the period given to
  send them, and the suspension ends early when they arrive;
- whether a date falling on a Saturday, Sunday or public holiday moves to the next working day is not
  settled the same way for every procedure: it is an organisation setting (`CountingRules`);
- French public holidays are computed (Easter-based ones included), with the two extra days of
  Alsace-Moselle as an option.
"""
import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from guichet.demarches.definitions import LegalRegime
from guichet.demarches.schema import NO_CLOCK

MAX_MISSING_DOCUMENTS_DAYS = 183  # a deadline for missing documents beyond 6 months is a typing mistake


@dataclass(frozen=True)
class CountingRules:
    """The organisation's choices: postpone a decision date off weekends and holidays, Alsace-Moselle days."""

    postpone_to_working_day: bool = False
    alsace_moselle: bool = False

    @classmethod
    def from_settings(cls, settings: Mapping) -> "CountingRules":
        """From the settings file's `deadlines` block; absent means the receipt's dates, never postponed."""
        block = settings.get("deadlines") or {}
        return cls(postpone_to_working_day=bool(block.get("postpone_to_working_day", False)),
                   alsace_moselle=bool(block.get("alsace_moselle", False)))


@dataclass(frozen=True)
class MissingPeriod:
    """One request for missing documents: the day it was sent, the deadline given, the day all came in."""

    requested: date
    deadline: date
    completed: date | None = None


@dataclass(frozen=True)
class ClockEvent:
    """One thing that happened to the clock, for the legal panel. `kind` is one of:

    start (delay starts), stopped (acceptance: missing items asked, no delay runs), restarted (acceptance:
    all received, the full delay starts again), suspended (rejection: delay paused until `until` at the
    latest), resumed (rejection: pause over, `days` added), postponed (date moved off a non-working day,
    from `until` to `day`), due (the implicit decision date). No `due` at the end: the delay of an implicit
    acceptance waits for the missing items.
    """

    kind: str
    day: date
    until: date | None = None
    days: int | None = None


# --- Calendar ------------------------------------------------------------------------------------

def add_months(start: date, months: int) -> date:
    """Same day number, months later; the 31st becomes the last day of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int, alsace_moselle: bool = False) -> dict[date, str]:
    """The French public holidays of a year (Code du travail L3133-1), with their French names."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Jour de l'an",
        easter + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    if alsace_moselle:
        days[easter - timedelta(days=2)] = "Vendredi saint"
        days[date(year, 12, 26)] = "Saint-Étienne"
    return days


def is_working_day(day: date, alsace_moselle: bool = False) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year, alsace_moselle)


def next_working_day(day: date, alsace_moselle: bool = False) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, alsace_moselle):
        day += timedelta(days=1)
    return day


# --- The implicit decision -----------------------------------------------------------------------

def add_delay(start: date, legal: LegalRegime) -> date:
    """The démarche's delay counted from `start` (days, or months with the month-end rule)."""
    if legal.duration_days:
        return start + timedelta(days=legal.duration_days)
    return add_months(start, legal.duration_months or 0)


def clock(received: date, legal: LegalRegime, missing: list[MissingPeriod],
          rules: CountingRules = CountingRules()) -> list[ClockEvent]:
    """Every event of the clock, in order, ending with `due` (or `stopped` while items are missing).

    Empty when the démarche has no implicit decision.
    """
    if legal.implicit in NO_CLOCK:
        return []
    events = [ClockEvent("start", received)]
    periods = sorted(missing, key=lambda period: period.requested)
    if legal.implicit == "acceptance":
        raw = _acceptance(received, legal, periods, events)
    else:
        raw = _rejection(received, legal, periods, events)
    if raw is None:
        return events
    due = next_working_day(raw, rules.alsace_moselle) if rules.postpone_to_working_day else raw
    if due != raw:
        events.append(ClockEvent("postponed", due, until=raw))
    events.append(ClockEvent("due", due))
    return events


def _acceptance(received: date, legal: LegalRegime, periods: list[MissingPeriod],
                events: list[ClockEvent]) -> date | None:
    """Art. 8 al. 2: the delay only runs from the day the required items are received."""
    start = received
    for period in periods:
        events.append(ClockEvent("stopped", period.requested, until=period.deadline))
        if period.completed is None:
            return None
        start = period.completed
        events.append(ClockEvent("restarted", period.completed))
    return add_delay(start, legal)


def _rejection(received: date, legal: LegalRegime, periods: list[MissingPeriod],
               events: list[ClockEvent]) -> date:
    """Art. 8 al. 3: suspended for the period given; items sent before its end end the suspension."""
    suspended = 0
    for period in periods:
        end = min(period.completed, period.deadline) if period.completed else period.deadline
        end = max(end, period.requested)
        events.append(ClockEvent("suspended", period.requested, until=period.deadline))
        days = (end - period.requested).days
        suspended += days
        if period.completed is not None:
            events.append(ClockEvent("resumed", end, days=days))
    return add_delay(received, legal) + timedelta(days=suspended)


def decision_due(received: date, legal: LegalRegime, missing: list[MissingPeriod],
                 rules: CountingRules = CountingRules()) -> date | None:
    """The day the request is deemed accepted or rejected; None without implicit decision or while the
    delay of an implicit acceptance waits for missing items."""
    events = clock(received, legal, missing, rules)
    return events[-1].day if events and events[-1].kind == "due" else None


def days_left(due: date | None, today: date) -> int | None:
    """Days until `due` (0 on the day itself, negative once passed); None without a date."""
    return None if due is None else (due - today).days


def citizen_deadline(chosen: date, rules: CountingRules = CountingRules()) -> date:
    """A deadline given to the person never ends on a Saturday, Sunday or public holiday: next working day."""
    return next_working_day(chosen, rules.alsace_moselle)
