"""Monthly indicators from the database: counts, decision delays, the legal delay, satisfaction, reports;
and nothing under 5 published."""
from datetime import date

import pytest
from sqlalchemy import func, select

from guichet import db
from guichet.demarches.catalogue import catalogue
from guichet.opendata.indicators import compute, daily, demarche_of_page, period
from tests.opendata.helpers import add_answer, add_report, add_request, at, fresh_app

TODAY = date(2026, 7, 15)  # the period is July 2025 … June 2026
ACTE = "demande-acte-etat-civil"       # implicit acceptance after 2 months
ADRESSE = "changement-adresse"         # no implicit decision


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    app = fresh_app(tmp_path_factory)
    # March 2026: 7 requests; 6 decided in March after 1, 2, 3, 4, 5 and 6 days, one by an implicit decision.
    for days in (1, 2, 3, 4, 5):
        add_request(app, ACTE, at(date(2026, 3, 2)), days)
    add_request(app, ACTE, at(date(2026, 3, 2)), 6, decision="acceptation_implicite")
    add_request(app, ACTE, at(date(2026, 3, 3)))
    # A refusal after an implicit rejection counts once, at the first decision, as late.
    add_request(app, ACTE, at(date(2026, 4, 1)), 10, decision="refusee", before="rejet_implicite")
    # April: 3 requests only (withheld).
    for _ in range(2):
        add_request(app, ACTE, at(date(2026, 4, 20)))
    # Outside the period: June 2025 and July 2026 (the month in progress).
    add_request(app, ACTE, at(date(2025, 6, 30)))
    add_request(app, ACTE, at(date(2026, 7, 1)))
    # No implicit decision: 5 decided, no share within the legal delay.
    for days in (1, 2, 10, 15, 20):
        add_request(app, ADRESSE, at(date(2026, 5, 4)), days)
    for rating in (5, 4, 4, 3, 5):
        add_answer(app, ACTE, at(date(2026, 3, 10)), rating)
    add_answer(app, None, at(date(2026, 3, 10)), 1)  # a counter visit without démarche: the site only
    for status in ("traité", "traité", "traité", "traité", "nouveau", "traité"):
        add_report(app, f"/demarches/{ACTE}/etape/identite", at(date(2026, 3, 12)), status)
    add_report(app, "/fiches/pacs", at(date(2026, 3, 12)))
    with app.app_context():
        yield app, compute(db.session(), catalogue(), TODAY)


def test_the_period_is_the_last_twelve_complete_months():
    published = period(TODAY)
    assert published.months[0] == "2025-07" and published.months[-1] == "2026-06" and len(published.months) == 12
    assert (published.start, published.end) == (date(2025, 7, 1), date(2026, 7, 1))
    assert period(date(2026, 1, 1)).months[-1] == "2025-12"


@pytest.mark.parametrize(("page", "slug"), [
    (f"/demarches/{ACTE}", ACTE),
    (f"/demarches/{ACTE}/etape/identite", ACTE),
    ("/demarches/inconnue/etape/x", None),
    ("/fiches/pacs", None),
    ("/", None),
])
def test_a_report_belongs_to_the_demarche_of_its_page(page, slug):
    assert demarche_of_page(page, {ACTE}) == slug


def test_requests_received_per_month(seeded):
    _app, indicators = seeded
    march, april = indicators.monthly[ACTE]["2026-03"], indicators.monthly[ACTE]["2026-04"]
    assert march.received == 7
    assert april.received is None  # 3 requests: withheld
    assert indicators.totals[ACTE].received == 10  # June 2025 and July 2026 are outside
    assert indicators.monthly[ACTE]["2025-07"].received is None


def test_decisions_their_median_delay_and_the_share_within_the_legal_delay(seeded):
    _app, indicators = seeded
    march = indicators.monthly[ACTE]["2026-03"]
    assert march.decided == 6
    assert march.median_days == 3.5
    assert march.on_time_percent == 83  # 5 of 6: one implicit acceptance
    total = indicators.totals[ACTE]
    assert total.decided == 7 and total.on_time_percent == 71  # the refusal after an implicit rejection is late
    assert indicators.monthly[ACTE]["2026-04"].decided is None and indicators.monthly[ACTE]["2026-04"].median_days is None


def test_no_legal_delay_share_for_a_demarche_without_implicit_decision(seeded):
    _app, indicators = seeded
    may = indicators.monthly[ADRESSE]["2026-05"]
    assert may.decided == 5 and may.median_days == 10.0 and may.on_time_percent is None


def test_satisfaction_and_reports(seeded):
    _app, indicators = seeded
    march = indicators.monthly[ACTE]["2026-03"]
    assert (march.ratings, march.rating_average) == (5, 4.2)
    assert (march.reports, march.reports_treated) == (6, 5)
    site = indicators.site_monthly["2026-03"]
    assert site.ratings == 6 and site.reports == 7 and site.reports_treated == 5
    assert site.on_time_percent is None  # démarches with and without a legal delay are not mixed


def test_a_withheld_count_withholds_what_is_derived_from_it(seeded):
    _app, indicators = seeded
    for figures in indicators.monthly[ACTE].values():
        assert figures.decided is not None or (figures.median_days is None and figures.on_time_percent is None)
        assert figures.ratings is not None or figures.rating_average is None
        for count in (figures.received, figures.decided, figures.ratings, figures.reports, figures.reports_treated):
            assert count is None or count >= 5


def test_the_indicators_are_computed_once_a_day(seeded):
    app, _indicators = seeded
    with app.test_request_context():
        first = daily(db.session(), catalogue())
        add_request(app, ACTE, at(first.period.start))
        assert daily(db.session(), catalogue()) is first
        app.extensions["guichet_opendata"]["day"] = None  # the next day
        assert daily(db.session(), catalogue()) is not first


def test_the_same_figures_on_postgresql(pg_app):
    """Months and delays are computed by the database: PostgreSQL's SQL must give SQLite's figures.
    In 2031, where no other test writes."""
    for days in (1, 2, 3, 4, 5):
        add_request(pg_app, ACTE, at(date(2031, 3, 2)), days)
    add_request(pg_app, ACTE, at(date(2031, 3, 2)), 6, decision="acceptation_implicite")
    for rating in (5, 4, 4, 3, 5):
        add_answer(pg_app, ACTE, at(date(2031, 3, 10)), rating)
    for status in ("traité", "traité", "traité", "traité", "nouveau", "traité"):
        add_report(pg_app, f"/demarches/{ACTE}/etape/identite", at(date(2031, 3, 12)), status)
    with pg_app.app_context():
        march = compute(db.session(), catalogue(), date(2031, 7, 15)).monthly[ACTE]["2031-03"]
    assert (march.received, march.decided, march.median_days, march.on_time_percent) == (6, 6, 3.5, 83)
    assert (march.ratings, march.rating_average, march.reports, march.reports_treated) == (5, 4.2, 6, 5)


def test_the_worker_publishes_once_a_day_and_every_process_reads_it(seeded, monkeypatch):
    from guichet.opendata import indicators as module
    from guichet.opendata.models import IndicatorSnapshot
    app, _indicators = seeded
    with app.test_request_context():
        session = db.session()
        computed = compute(session, catalogue(), TODAY)  # what the database holds now, after the other tests
        assert module.publish(session, catalogue(), TODAY).startswith("indicators of ")
        assert module.publish(session, catalogue(), TODAY) == "already published today"
        assert session.scalar(select(func.count()).select_from(IndicatorSnapshot)) == 1
        assert module.from_json(session.get(IndicatorSnapshot, TODAY).data) == computed

        def no_computing(*_args):
            raise AssertionError("computed although the worker published today's indicators")
        monkeypatch.setattr(module, "compute", no_computing)
        monkeypatch.setattr(module, "local_day", lambda _now: TODAY)
        app.extensions["guichet_opendata"] = {}
        assert module.daily(session, catalogue()) == computed


def test_a_small_month_cannot_be_found_from_the_total_and_the_other_months(tmp_path_factory):
    app = fresh_app(tmp_path_factory)
    months = period(TODAY).months  # July 2025 … June 2026
    busy = {month: 6 + index for index, month in enumerate(months)}  # 6 to 17 requests a month
    busy["2026-04"] = 3  # withheld; the total and the eleven other months would give it away
    for month, count in busy.items():
        for _ in range(count):
            add_request(app, ACTE, at(date(int(month[:4]), int(month[5:]), 10)))
    with app.app_context():
        indicators = compute(db.session(), catalogue(), TODAY)
    shown = {month: figures.received for month, figures in indicators.monthly[ACTE].items()}
    assert indicators.totals[ACTE].received == sum(busy.values())
    assert shown["2026-04"] is None and shown["2025-07"] is None  # with it, the smallest other month
    assert all(shown[month] == busy[month] for month in months if month not in ("2026-04", "2025-07"))
    assert indicators.site_monthly["2026-04"].received is None
