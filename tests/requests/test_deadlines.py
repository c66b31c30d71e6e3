"""The deadline engine, table by table: months, holidays, working days and the cases of art. 8."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.demarches.definitions import LegalRegime
from guichet.requests.deadlines import (ClockEvent, CountingRules, MissingPeriod, add_months, citizen_deadline,
                                        clock, days_left, decision_due, easter_sunday, is_working_day,
                                        next_working_day, public_holidays)

D = date


def regime(implicit: str, months: int | None = 2, days: int | None = None) -> LegalRegime:
    return LegalRegime(implicit=implicit, duration_days=days, duration_months=None if days else months,
                       reference=None, appeal=None, expected_processing=None)


ACCEPT, REJECT, NONE = regime("acceptance"), regime("rejection"), regime("none", months=None)
POSTPONE = CountingRules(postpone_to_working_day=True)
ALSACE = CountingRules(postpone_to_working_day=True, alsace_moselle=True)


@pytest.mark.parametrize("start, months, expected", [
    (D(2026, 1, 15), 2, D(2026, 3, 15)),
    (D(2026, 1, 31), 1, D(2026, 2, 28)),   # no 31 February: last day of the month
    (D(2028, 1, 31), 1, D(2028, 2, 29)),   # leap year
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 8, 31), 2, D(2026, 10, 31)),
    (D(2026, 11, 30), 2, D(2027, 1, 30)),  # across the year
    (D(2026, 12, 31), 2, D(2027, 2, 28)),
    (D(2026, 5, 10), 0, D(2026, 5, 10)),
    (D(2026, 5, 10), 12, D(2027, 5, 10)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize("year, expected", [
    (2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)),
    (2028, D(2028, 4, 16)), (2038, D(2038, 4, 25)), (2285, D(2285, 3, 22)),
])
def test_easter(year, expected):
    assert easter_sunday(year) == expected


@pytest.mark.parametrize("day, name", [
    (D(2026, 1, 1), "Jour de l'an"),
    (D(2026, 4, 6), "Lundi de Pâques"),
    (D(2026, 5, 1), "Fête du Travail"),
    (D(2026, 5, 8), "Victoire 1945"),
    (D(2026, 5, 14), "Ascension"),
    (D(2026, 5, 25), "Lundi de Pentecôte"),
    (D(2026, 7, 14), "Fête nationale"),
    (D(2026, 8, 15), "Assomption"),
    (D(2026, 11, 1), "Toussaint"),
    (D(2026, 11, 11), "Armistice 1918"),
    (D(2026, 12, 25), "Noël"),
    (D(2025, 4, 21), "Lundi de Pâques"),
    (D(2025, 5, 29), "Ascension"),
    (D(2025, 6, 9), "Lundi de Pentecôte"),
])
def test_public_holidays(day, name):
    assert public_holidays(day.year)[day] == name
    assert len(public_holidays(day.year)) == 11


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    extra = set(public_holidays(2026, alsace_moselle=True)) - set(public_holidays(2026))
    assert extra == {D(2026, 4, 3), D(2026, 12, 26)}


@pytest.mark.parametrize("day, alsace, expected", [
    (D(2026, 3, 18), False, D(2026, 3, 18)),  # a Wednesday stays
    (D(2026, 3, 21), False, D(2026, 3, 23)),  # Saturday → Monday
    (D(2026, 3, 22), False, D(2026, 3, 23)),  # Sunday → Monday
    (D(2026, 4, 4), False, D(2026, 4, 7)),    # Saturday before Easter Monday → Tuesday
    (D(2026, 4, 6), False, D(2026, 4, 7)),    # Easter Monday
    (D(2026, 5, 1), False, D(2026, 5, 4)),    # 1 May 2026 is a Friday → Monday 4
    (D(2026, 7, 14), False, D(2026, 7, 15)),  # 14 July
    (D(2026, 5, 8), False, D(2026, 5, 11)),   # 8 May, a Friday
    (D(2026, 12, 25), False, D(2026, 12, 28)),  # Christmas, a Friday
    (D(2026, 12, 25), True, D(2026, 12, 28)),
    (D(2027, 12, 25), False, D(2027, 12, 27)),  # Saturday → Monday 27
    (D(2027, 12, 25), True, D(2027, 12, 27)),
    (D(2026, 12, 24), True, D(2026, 12, 24)),
    (D(2025, 12, 26), False, D(2025, 12, 26)),  # an ordinary Friday…
    (D(2025, 12, 26), True, D(2025, 12, 29)),   # …but a holiday in Alsace-Moselle
    (D(2026, 4, 3), True, D(2026, 4, 7)),       # Good Friday, Easter weekend and Monday
])
def test_next_working_day(day, alsace, expected):
    assert next_working_day(day, alsace) == expected
    assert is_working_day(expected, alsace)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), st.booleans())
def test_next_working_day_is_never_before_and_never_far(day, alsace):
    moved = next_working_day(day, alsace)
    assert day <= moved and (moved - day).days <= 4 and is_working_day(moved, alsace)


# (regime, received, missing periods, rules, expected decision date)
CASES = [
    # No missing documents: the receipt's date.
    ("acceptance 2 months", ACCEPT, D(2026, 1, 10), [], CountingRules(), D(2026, 3, 10)),
    ("rejection 2 months", REJECT, D(2026, 1, 10), [], CountingRules(), D(2026, 3, 10)),
    ("month end", ACCEPT, D(2026, 12, 31), [], CountingRules(), D(2027, 2, 28)),
    ("days", regime("acceptance", days=15), D(2026, 1, 10), [], CountingRules(), D(2026, 1, 25)),
    ("no implicit decision", NONE, D(2026, 1, 10), [], CountingRules(), None),
    # Weekends and holidays: only when the organisation chose to postpone.
    ("Sunday kept", ACCEPT, D(2026, 1, 1), [], CountingRules(), D(2026, 3, 1)),
    ("Saturday kept", ACCEPT, D(2026, 1, 14), [], CountingRules(), D(2026, 3, 14)),
    ("Saturday postponed", ACCEPT, D(2026, 1, 14), [], POSTPONE, D(2026, 3, 16)),
    ("Saturday of a 31st postponed", ACCEPT, D(2025, 12, 31), [], POSTPONE, D(2026, 3, 2)),
    ("Sunday postponed", ACCEPT, D(2026, 1, 1), [], POSTPONE, D(2026, 3, 2)),
    ("Easter Monday postponed", REJECT, D(2026, 2, 6), [], POSTPONE, D(2026, 4, 7)),
    ("1 May postponed", ACCEPT, D(2026, 3, 1), [], POSTPONE, D(2026, 5, 4)),
    ("14 July postponed", REJECT, D(2026, 5, 14), [], POSTPONE, D(2026, 7, 15)),
    ("14 July kept", REJECT, D(2026, 5, 14), [], CountingRules(), D(2026, 7, 14)),
    ("Saint-Étienne, Alsace", ACCEPT, D(2025, 10, 26), [], ALSACE, D(2025, 12, 29)),
    ("Saint-Étienne elsewhere", ACCEPT, D(2025, 10, 26), [], POSTPONE, D(2025, 12, 26)),
    # Art. 8 al. 2, implicit acceptance: the delay restarts from the day everything is received.
    ("acceptance, items asked, waiting", ACCEPT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 20))], CountingRules(), None),
    ("acceptance, items received", ACCEPT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 20), D(2026, 2, 3))], CountingRules(), D(2026, 4, 3)),
    ("acceptance, items received late", ACCEPT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 20), D(2026, 3, 2))], CountingRules(), D(2026, 5, 2)),
    ("acceptance, restart on month end", ACCEPT, D(2026, 10, 1),
     [MissingPeriod(D(2026, 10, 5), D(2026, 11, 5), D(2026, 10, 31))], CountingRules(), D(2026, 12, 31)),
    ("acceptance, two requests, the last counts", ACCEPT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 2, 10), D(2026, 3, 10), D(2026, 3, 1)),
      MissingPeriod(D(2026, 1, 12), D(2026, 2, 1), D(2026, 1, 25))], CountingRules(), D(2026, 5, 1)),
    ("acceptance, second request still open", ACCEPT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 12), D(2026, 2, 1), D(2026, 1, 25)),
      MissingPeriod(D(2026, 2, 10), D(2026, 3, 10))], CountingRules(), None),
    ("acceptance, restart then postponed", ACCEPT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 20), D(2026, 3, 1))], POSTPONE, D(2026, 5, 4)),
    # Art. 8 al. 3, implicit rejection: suspended for the period given, ended early by the items.
    ("rejection, suspended for the whole period", REJECT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19))], CountingRules(), D(2026, 4, 9)),
    ("rejection, items early end the suspension", REJECT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19), D(2026, 1, 25))], CountingRules(), D(2026, 3, 15)),
    ("rejection, items after the deadline: the period only", REJECT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19), D(2026, 3, 1))], CountingRules(), D(2026, 4, 9)),
    ("rejection, items the same day", REJECT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19), D(2026, 1, 20))], CountingRules(), D(2026, 3, 10)),
    ("rejection, two suspensions add up", REJECT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19), D(2026, 1, 30)),
      MissingPeriod(D(2026, 2, 10), D(2026, 3, 10), D(2026, 2, 15))], CountingRules(), D(2026, 3, 25)),
    ("rejection, suspended then postponed", REJECT, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19), D(2026, 1, 24))], POSTPONE, D(2026, 3, 16)),
    ("no implicit decision ignores missing items", NONE, D(2026, 1, 10),
     [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19))], CountingRules(), None),
]


@pytest.mark.parametrize("name, legal, received, missing, rules, expected", CASES, ids=[case[0] for case in CASES])
def test_decision_due(name, legal, received, missing, rules, expected):
    assert decision_due(received, legal, missing, rules) == expected


def test_clock_explains_an_acceptance_restart():
    events = clock(D(2026, 1, 10), ACCEPT, [MissingPeriod(D(2026, 1, 20), D(2026, 2, 20), D(2026, 3, 1))], POSTPONE)
    assert events == [
        ClockEvent("start", D(2026, 1, 10)),
        ClockEvent("stopped", D(2026, 1, 20), until=D(2026, 2, 20)),
        ClockEvent("restarted", D(2026, 3, 1)),
        ClockEvent("postponed", D(2026, 5, 4), until=D(2026, 5, 1)),
        ClockEvent("due", D(2026, 5, 4)),
    ]


def test_clock_explains_a_rejection_suspension():
    events = clock(D(2026, 1, 10), REJECT, [MissingPeriod(D(2026, 1, 20), D(2026, 2, 19), D(2026, 1, 25))])
    assert events == [
        ClockEvent("start", D(2026, 1, 10)),
        ClockEvent("suspended", D(2026, 1, 20), until=D(2026, 2, 19)),
        ClockEvent("resumed", D(2026, 1, 25), days=5),
        ClockEvent("due", D(2026, 3, 15)),
    ]
    waiting = clock(D(2026, 1, 10), ACCEPT, [MissingPeriod(D(2026, 1, 20), D(2026, 2, 20))])
    assert [event.kind for event in waiting] == ["start", "stopped"]
    assert clock(D(2026, 1, 10), NONE, []) == []


@pytest.mark.parametrize("due, today, expected", [
    (D(2026, 3, 10), D(2026, 3, 1), 9), (D(2026, 3, 10), D(2026, 3, 10), 0),
    (D(2026, 3, 10), D(2026, 3, 12), -2), (None, D(2026, 3, 1), None),
])
def test_days_left(due, today, expected):
    assert days_left(due, today) == expected


@pytest.mark.parametrize("chosen, expected", [
    (D(2026, 3, 20), D(2026, 3, 20)), (D(2026, 3, 21), D(2026, 3, 23)), (D(2026, 7, 14), D(2026, 7, 15)),
])
def test_a_deadline_given_to_the_person_ends_on_a_working_day(chosen, expected):
    assert citizen_deadline(chosen) == expected


@pytest.mark.parametrize("settings, expected", [
    ({}, CountingRules(False, False)),
    ({"deadlines": {"postpone_to_working_day": True}}, CountingRules(True, False)),
    ({"deadlines": {"postpone_to_working_day": True, "alsace_moselle": True}}, CountingRules(True, True)),
])
def test_counting_rules_from_settings(settings, expected):
    assert CountingRules.from_settings(settings) == expected
