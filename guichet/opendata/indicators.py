"""Monthly indicators per démarche: requests received, decisions and their delay, satisfaction, difficulty
reports. Four grouped queries over the last 12 complete months (`compute`, a few seconds for 100 000 requests),
run once a day by the worker (`publish`, job "statistiques-publiques"), which keeps the result as one JSON row;
each server process then reads that row once a day (`daily`). Before the worker's run of the day, the first
visitor's process computes them itself. The figures of closed months hardly move within a day.

Months are calendar months in UTC. A decision is the first final status in the request's history; it
counts in the month it was taken. It came "within the legal delay" when no implicit decision happened
before it (the workflow gives one as soon as the legal date passes, and clears `decision_due` once decided,
so the history is what keeps the answer). Démarches without an implicit decision have no such share.
"""
import statistics
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone

from flask import current_app
from sqlalchemy import Float, String, case, delete, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from guichet.db import utcnow
from guichet.demarches.definitions import Catalogue
from guichet.demarches.schema import NO_CLOCK
from guichet.feedback.models import Report
from guichet.indicators.models import SatisfactionAnswer
from guichet.opendata.disclosure import publishable, withheld_in_table
from guichet.opendata.models import IndicatorSnapshot
from guichet.requests.mails import local_day
from guichet.requests.models import DemarcheRequest, RequestStatus
from guichet.requests.workflow import FINAL_STATUSES

MONTHS = 12
IMPLICIT_STATUSES = ("acceptation_implicite", "rejet_implicite")
TREATED_REPORT = "traité"


class month_of(FunctionElement):  # noqa: N801 (an SQL function, named as one)
    """"YYYY-MM" of a timestamp, in UTC, on SQLite and PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC', 'YYYY-MM')"


class days_between(FunctionElement):  # noqa: N801
    """Days (with their fraction) from the second timestamp to the first, on SQLite and PostgreSQL."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


@dataclass(frozen=True)
class Period:
    """The months published: the last complete ones, oldest first."""

    start: date
    end: date  # the first day of the current month, excluded
    months: tuple[str, ...]


def period(today: date, months: int = MONTHS) -> Period:
    index = today.year * 12 + today.month - 1
    keys = tuple(f"{(index - back) // 12:04d}-{(index - back) % 12 + 1:02d}" for back in range(months, 0, -1))
    start_year, start_month = divmod(index - months, 12)
    return Period(date(start_year, start_month + 1, 1), date(today.year, today.month, 1), keys)


@dataclass
class Tally:
    """Raw counts while reading the database; never published as they are (see `Figures`)."""

    received: int = 0
    durations: list[float] = field(default_factory=list)
    on_time: int = 0
    ratings: int = 0
    rating_sum: int = 0
    reports: int = 0
    reports_treated: int = 0


@dataclass(frozen=True)
class Figures:
    """What may be published: None where the count under it is under 5 or would reveal one (see disclosure)."""

    received: int | None
    decided: int | None
    median_days: float | None
    on_time_percent: int | None
    ratings: int | None
    rating_average: float | None
    reports: int | None
    reports_treated: int | None


def figures(tally: Tally, legal_delay: bool) -> Figures:
    decided = publishable(len(tally.durations))
    ratings = publishable(tally.ratings)
    return Figures(
        received=publishable(tally.received),
        decided=decided,
        median_days=round(statistics.median(tally.durations), 1) if decided else None,
        on_time_percent=round(100 * tally.on_time / decided) if decided and legal_delay else None,
        ratings=ratings,
        rating_average=round(tally.rating_sum / ratings, 1) if ratings else None,
        reports=publishable(tally.reports),
        reports_treated=publishable(tally.reports_treated),
    )


@dataclass(frozen=True)
class Indicators:
    period: Period
    computed_on: date
    monthly: dict[str, dict[str, Figures]]  # démarche slug → month → figures
    totals: dict[str, Figures]              # démarche slug → the whole period
    site_monthly: dict[str, Figures]        # every démarche and every page of the site, per month
    site_total: Figures


def demarche_of_page(page: str, slugs: set[str]) -> str | None:
    """The démarche a page belongs to (its start page or any of its steps), if any."""
    parts = page.split("/")
    return parts[2] if len(parts) > 2 and parts[1] == "demarches" and parts[2] in slugs else None


class _Tallies:
    """Tallies per (démarche, month), per démarche, and for the whole site."""

    def __init__(self, slugs: set[str], months: tuple[str, ...]):
        self.slugs, self.months = slugs, set(months)
        self.by_month = defaultdict(Tally)
        self.by_demarche = defaultdict(Tally)
        self.site_by_month = defaultdict(Tally)
        self.site = Tally()

    def each(self, slug: str | None, month: str):
        """Every tally a row counts in (the whole site always; its démarche if published)."""
        if month not in self.months:
            return []
        found = [self.site_by_month[month], self.site]
        if slug in self.slugs:
            found += [self.by_month[(slug, month)], self.by_demarche[slug]]
        return found


def compute(session: Session, catalogue: Catalogue, today: date) -> Indicators:
    """Four grouped reads over the period; medians need each delay, so decisions come one row per request."""
    published = period(today)
    start = datetime.combine(published.start, datetime.min.time(), timezone.utc)
    end = datetime.combine(published.end, datetime.min.time(), timezone.utc)
    tallies = _Tallies(catalogue.slugs(), published.months)

    received_month = month_of(DemarcheRequest.received_at)
    for slug, month, count in session.execute(
            select(DemarcheRequest.demarche, received_month, func.count())
            .where(DemarcheRequest.received_at >= start, DemarcheRequest.received_at < end)
            .group_by(DemarcheRequest.demarche, received_month)):
        for tally in tallies.each(slug, month):
            tally.received += count

    first = (select(RequestStatus.request_id, func.min(RequestStatus.at).label("decided_at"),
                    func.max(case((RequestStatus.status.in_(IMPLICIT_STATUSES), 1), else_=0)).label("late"))
             .where(RequestStatus.status.in_(sorted(FINAL_STATUSES)))
             .group_by(RequestStatus.request_id).subquery())
    decisions = defaultdict(list)  # (démarche, month) → [(days, late)], grouped here: one dict lookup a row
    for slug, month, days, late in session.execute(
            select(DemarcheRequest.demarche, month_of(first.c.decided_at),
                   days_between(first.c.decided_at, DemarcheRequest.received_at), first.c.late)
            .join(first, first.c.request_id == DemarcheRequest.id)
            .where(first.c.decided_at >= start, first.c.decided_at < end)):
        decisions[(slug, month)].append((max(days or 0.0, 0.0), late))
    for (slug, month), decided in decisions.items():
        for tally in tallies.each(slug, month):
            tally.durations.extend(days for days, _late in decided)
            tally.on_time += sum(not late for _days, late in decided)

    answered_month = month_of(SatisfactionAnswer.created_at)
    for slug, month, count, total in session.execute(
            select(SatisfactionAnswer.demarche, answered_month, func.count(), func.sum(SatisfactionAnswer.rating))
            .where(SatisfactionAnswer.created_at >= start, SatisfactionAnswer.created_at < end)
            .group_by(SatisfactionAnswer.demarche, answered_month)):
        for tally in tallies.each(slug, month):
            tally.ratings += count
            tally.rating_sum += int(total or 0)

    reported_month = month_of(Report.created_at)
    for page, month, count, treated in session.execute(
            select(Report.page, reported_month, func.count(),
                   func.sum(case((Report.status == TREATED_REPORT, 1), else_=0)))
            .where(Report.created_at >= start, Report.created_at < end)
            .group_by(Report.page, reported_month)):
        for tally in tallies.each(demarche_of_page(page, tallies.slugs), month):
            tally.reports += count
            tally.reports_treated += int(treated or 0)

    return _published(tallies, catalogue, published, today)


def _published(tallies: _Tallies, catalogue: Catalogue, published: Period, today: date) -> Indicators:
    delays = {demarche.slug: demarche.legal.implicit not in NO_CLOCK for demarche in catalogue.all()}
    slugs, months = list(delays), published.months
    tally_of = {**{(slug, month): tallies.by_month.get((slug, month), Tally()) for slug in slugs for month in months},
                **{(slug, TOTAL): tallies.by_demarche.get(slug, Tally()) for slug in slugs},
                **{(SITE, month): tallies.site_by_month.get(month, Tally()) for month in months},
                (SITE, TOTAL): tallies.site}
    # The whole site mixes démarches with and without a legal delay: no share "within the delay" for it.
    shown = _without_what_subtraction_reveals(
        {key: figures(tally, delays.get(key[0], False)) for key, tally in tally_of.items()}, tally_of, slugs, months)
    return Indicators(published, today, {slug: {month: shown[(slug, month)] for month in months} for slug in slugs},
                      {slug: shown[(slug, TOTAL)] for slug in slugs}, {month: shown[(SITE, month)] for month in months},
                      shown[(SITE, TOTAL)])


# Each count and what is derived from it (withheld with it).
DERIVED = {"received": (), "decided": ("median_days", "on_time_percent"), "ratings": ("rating_average",),
           "reports": (), "reports_treated": ()}
SITE, TOTAL = "(site)", "(total)"


def _without_what_subtraction_reveals(figures_of: dict, tally_of: dict, slugs: list[str],
                                      months: tuple[str, ...]) -> dict:
    """Months add up to a démarche's total and démarches to the site's month: a count under 5 withheld in
    a line must not be the only one, or the others and the total would give it away (see disclosure).
    The site's figures also count what belongs to no démarche; it is taken as known, to be safe."""
    lines = [([(slug, month) for month in months], (slug, TOTAL)) for slug in slugs]
    lines += [([(slug, month) for slug in slugs], (SITE, month)) for month in months]
    lines += [([(slug, TOTAL) for slug in slugs], (SITE, TOTAL)), ([(SITE, month) for month in months], (SITE, TOTAL))]
    shown = dict(figures_of)
    for name, derived in DERIVED.items():
        counts = {key: len(tally.durations) if name == "decided" else getattr(tally, name)
                  for key, tally in tally_of.items()}
        for key in withheld_in_table(counts, lines):
            shown[key] = replace(shown[key], **dict.fromkeys((name, *derived)))
    return shown


def to_json(indicators: Indicators) -> dict:
    def each(figures_by_key: dict) -> dict:
        return {key: asdict(figures) for key, figures in figures_by_key.items()}
    return {"start": indicators.period.start.isoformat(), "end": indicators.period.end.isoformat(),
            "months": list(indicators.period.months), "computed_on": indicators.computed_on.isoformat(),
            "monthly": {slug: each(months) for slug, months in indicators.monthly.items()},
            "totals": each(indicators.totals), "site_monthly": each(indicators.site_monthly),
            "site_total": asdict(indicators.site_total)}


def from_json(data: dict) -> Indicators:
    def each(figures_by_key: dict) -> dict:
        return {key: Figures(**figures) for key, figures in figures_by_key.items()}
    return Indicators(Period(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]), tuple(data["months"])),
                      date.fromisoformat(data["computed_on"]),
                      {slug: each(months) for slug, months in data["monthly"].items()}, each(data["totals"]),
                      each(data["site_monthly"]), Figures(**data["site_total"]))


def publish(session: Session, catalogue: Catalogue, today: date) -> str:
    """The worker's daily run: compute today's indicators once and keep them as the only snapshot."""
    if session.get(IndicatorSnapshot, today) is not None:
        return "already published today"
    data = to_json(compute(session, catalogue, today))
    session.execute(delete(IndicatorSnapshot))
    session.add(IndicatorSnapshot(day=today, data=data))
    session.commit()
    return f"indicators of {len(data['monthly'])} démarches published"


def _todays(session: Session, catalogue: Catalogue, today: date) -> Indicators:
    """The worker's snapshot of today; computed here if the worker has not made it yet, or a démarche is new."""
    snapshot = session.get(IndicatorSnapshot, today)
    if snapshot is not None:
        indicators = from_json(snapshot.data)
        if catalogue.slugs() <= set(indicators.monthly):
            return indicators
    return compute(session, catalogue, today)


_computing = threading.Lock()  # the first visitors of the day, in several threads, wait for one reading


def daily(session: Session, catalogue: Catalogue) -> Indicators:
    """Today's indicators, read (or computed) at most once a day in this process."""
    today = local_day(utcnow())
    cache = current_app.extensions.setdefault("guichet_opendata", {})
    if cache.get("day") != today:
        with _computing:
            if cache.get("day") != today:
                cache["indicators"], cache["day"] = _todays(session, catalogue, today), today
    return cache["indicators"]
