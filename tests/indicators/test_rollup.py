"""Daily roll-ups: journeys become reached / went on / left per step, durations keep a median, runs are
idempotent, and raw events older than 25 months go while the roll-ups stay."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from guichet import db
from guichet.feedback.models import FunnelEvent
from guichet.indicators import histogram, rollup
from guichet.indicators.models import (DurationRollup, FieldErrorDaily, FunnelStepDaily, RequestDaily)
from guichet.requests.mails import local_day
from guichet.worker.jobs import JOBS

SLUG = "rollup-test"
NOON = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def event(journey, step, kind, seconds, fields=None, messages=None):
    return FunnelEvent(demarche=SLUG, step=step, event=kind, journey=journey, fields=fields, messages=messages,
                       at=NOON + timedelta(seconds=seconds))


@pytest.fixture
def clean(app):
    with app.app_context():
        session = db.session()
        for model in (FunnelEvent, FunnelStepDaily, FieldErrorDaily, RequestDaily, DurationRollup):
            session.execute(delete(model))
        session.commit()
        yield session
        for model in (FunnelEvent, FunnelStepDaily, FieldErrorDaily, RequestDaily, DurationRollup):
            session.execute(delete(model))
        session.commit()


def steps(session) -> dict:
    return {row.step: row for row in session.scalars(select(FunnelStepDaily).where(FunnelStepDaily.demarche == SLUG))}


def test_journeys_say_where_people_leave_and_how_long_a_step_takes(clean):
    session = clean
    session.add_all([
        # a: goes through and sends
        event("a", "nom", "viewed", 0), event("a", "adresse", "viewed", 40), event("a", "verifier", "viewed", 100),
        event("a", "verifier", "completed", 110),
        # b: an error on "adresse", then leaves there
        event("b", "nom", "viewed", 0), event("b", "adresse", "viewed", 20),
        event("b", "adresse", "error", 50, ["code_postal"], ["Écrivez le code postal avec 5 chiffres."]),
        # c: saves on "adresse", then its shared computer times out
        event("c", "nom", "viewed", 0), event("c", "adresse", "viewed", 30), event("c", "adresse", "saved", 35),
        event("c", "-", "abandoned_timeout", 3000),
    ])
    session.commit()
    rollup.write_funnel(session, local_day(NOON), local_day(NOON))
    session.commit()
    found = steps(session)
    assert (found["nom"].reached, found["nom"].went_on, found["nom"].left, found["nom"].started) == (3, 3, 0, 3)
    assert (found["adresse"].reached, found["adresse"].went_on, found["adresse"].left) == (3, 1, 2)
    assert (found["adresse"].errors, found["adresse"].saves, found["adresse"].timeouts) == (1, 1, 1)
    assert found["verifier"].completed == 1 and found["verifier"].went_on == 1
    seconds = dict(session.execute(select(DurationRollup.value, DurationRollup.count).where(
        DurationRollup.demarche == SLUG, DurationRollup.kind == "etape", DurationRollup.subject == "nom")).all())
    assert seconds == {40: 1, 20: 1, 30: 1}
    error = session.scalar(select(FieldErrorDaily).where(FieldErrorDaily.demarche == SLUG))
    assert (error.field, error.message, error.count) == ("code_postal", "Écrivez le code postal avec 5 chiffres.", 1)


def test_the_worker_job_run_twice_gives_the_same_rows(clean):
    session = clean
    session.add_all([event("a", "nom", "viewed", 0), event("b", "nom", "viewed", 5)])
    session.commit()
    job = next(job for job in JOBS if job.name == "indicateurs")
    for _ in range(2):
        assert "step rows" in job.run(session, NOON + timedelta(hours=2))
    assert steps(session)["nom"].reached == 2
    assert session.scalar(select(func.count()).select_from(FunnelStepDaily)
                          .where(FunnelStepDaily.demarche == SLUG)) == 1


def test_raw_events_older_than_25_months_go_and_roll_ups_stay(clean):
    session = clean
    old = NOON - timedelta(days=800)
    session.add_all([FunnelEvent(demarche=SLUG, step="nom", event="viewed", journey="x", at=old),
                     event("y", "nom", "viewed", 0)])
    session.commit()
    rollup.write_funnel(session, local_day(old), local_day(old))
    session.commit()
    assert rollup.purge_raw_events(session, local_day(NOON)) == 1
    session.commit()
    assert session.scalar(select(func.count()).select_from(FunnelEvent)) == 1
    assert session.scalar(select(FunnelStepDaily.reached).where(FunnelStepDaily.day == local_day(old))) == 1


@pytest.mark.parametrize("seconds, key", [(0, "0"), (7, "5"), (59, "55"), (61, "60"), (599, "570"),
                                          (601, "600"), (3599, "3300"), (99999, "3600")])
def test_durations_are_rounded_coarser_as_they_grow(seconds, key):
    assert histogram.seconds_key(seconds) == key


def test_quantiles_of_merged_days():
    merged = histogram.merge([{"1": 2, "3": 1}, {"10": 1}])
    assert histogram.quantile(merged, 0.5) == 1 and histogram.quantile(merged, 0.9) == 10
    assert histogram.quantile(histogram.merge([]), 0.5) is None


def test_public_counts_hide_small_numbers():
    from guichet.indicators.publish import public_count, public_share
    assert public_count(4) is None and public_count(5) == 5
    assert public_share(5, 10) == 0.5 and public_share(2, 10) is None and public_share(8, 10) is None
    assert public_share(0, 10) == 0 and public_share(3, 4) is None


def test_days_are_french_days():
    assert rollup.day_start(date(2026, 7, 1)).utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("since, until, months", [
    (date(2026, 1, 1), date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 1))),
    (date(2026, 1, 15), date(2026, 3, 10), (date(2026, 2, 1), date(2026, 2, 1))),
    (date(2026, 1, 15), date(2026, 2, 10), None),
    (date(2025, 12, 2), date(2026, 2, 28), (date(2026, 1, 1), date(2026, 2, 1))),
])
def test_a_period_reads_whole_months_from_monthly_rows(since, until, months):
    from guichet.indicators.dashboard import Filters, whole_months
    assert whole_months(Filters(since, until)) == months


def test_monthly_and_daily_duration_rows_give_the_same_median(clean):
    from guichet.indicators.dashboard import Filters, _durations
    session = clean
    day = local_day(NOON)
    session.add_all([event("a", "nom", "viewed", 0), event("a", "adresse", "viewed", 40),
                     FunnelEvent(demarche=SLUG, step="nom", event="viewed", journey="b", at=NOON - timedelta(days=40)),
                     FunnelEvent(demarche=SLUG, step="adresse", event="viewed", journey="b",
                                 at=NOON - timedelta(days=40, seconds=-20))])
    session.commit()
    rollup.write_funnel(session, day - timedelta(days=60), day)
    session.commit()
    spans = set(session.scalars(select(DurationRollup.span).where(DurationRollup.demarche == SLUG)))
    assert spans == {"jour", "mois"}
    wide = _durations(session, Filters(date(2026, 1, 1), date(2026, 3, 31)), "etape", DurationRollup.demarche == SLUG)
    assert wide["nom"] == {40: 1, 20: 1}
    narrow = _durations(session, Filters(day, day), "etape", DurationRollup.demarche == SLUG)
    assert narrow["nom"] == {40: 1}
