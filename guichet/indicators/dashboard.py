"""What the town's dashboard shows, read from the daily roll-ups and a few small tables.

Every function takes the filters and returns plain data; the view only renders it. No query here reads
raw funnel events or the requests table, so the page stays fast over years of data.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from guichet.demarches import flow
from guichet.demarches.definitions import Demarche
from guichet.feedback.models import FeedbackVote, Report
from guichet.indicators import histogram
from guichet.indicators.models import (DurationRollup, FieldErrorDaily, FunnelStepDaily, RequestDaily,
                                       SatisfactionDaily, SearchMissDaily)
from guichet.indicators.rollup import day_start, month_end

LATEST_TEXTS = 3
TOP_ERRORS = 3
TOP_SEARCHES = 50
TOP_FICHES = 20
HELPERS = ("proche", "mairie", "telephone", "france-services", "association", "personne")


@dataclass(frozen=True)
class Filters:
    since: date
    until: date
    demarche: str | None = None
    channel: str | None = None


@dataclass
class StepRow:
    step: str
    title: str
    reached: int = 0
    went_on: int = 0
    left: int = 0
    errors: int = 0
    timeouts: int = 0
    saves: int = 0
    median_seconds: int | None = None
    top_errors: list = field(default_factory=list)  # (question label, message, count)
    reports: Counter = field(default_factory=Counter)  # category -> count
    latest_texts: list = field(default_factory=list)

    @property
    def abandonment(self) -> float | None:
        return self.left / self.reached if self.reached else None


@dataclass
class Funnel:
    steps: list
    started: int
    completed: int

    @property
    def completion(self) -> float | None:
        return self.completed / self.started if self.started else None

    @property
    def worst(self) -> StepRow | None:
        """The step people leave most (ties: the earliest), among steps that someone reached."""
        reached = [row for row in self.steps if row.reached]
        return max(reached, key=lambda row: row.abandonment) if reached else None


def _range(model, filters: Filters):
    return and_(model.day >= filters.since, model.day <= filters.until)


def _instants(filters: Filters):
    return day_start(filters.since), day_start(filters.until + timedelta(days=1))


def step_titles(demarche: Demarche) -> dict[str, str]:
    """Step id -> what the agent reads: the page title, or its only question's label."""
    titles = {page.id: page.title or (page.questions[0].label if page.questions else page.id)
              for page in flow.all_pages(demarche)}
    titles[flow.CHECK_STEP] = "Vérification et envoi"
    return titles


def funnel(db: Session, demarche: Demarche, filters: Filters) -> Funnel:
    """Each step in the démarche's order, joined with its errors and what people reported from it."""
    titles = step_titles(demarche)
    rows = {step: StepRow(step, title) for step, title in titles.items()}
    where = (_range(FunnelStepDaily, filters), FunnelStepDaily.demarche == demarche.slug)
    names = ("reached", "went_on", "left", "errors", "timeouts", "saves", "started", "completed")
    started = completed = 0
    for step, *sums in db.execute(select(FunnelStepDaily.step, *(func.sum(getattr(FunnelStepDaily, name))
                                                                 for name in names))
                                  .where(*where).group_by(FunnelStepDaily.step)):
        row = rows.setdefault(step, StepRow(step, step))
        values = dict(zip(names, (int(value or 0) for value in sums)))
        started += values.pop("started")
        completed += values.pop("completed")
        for name, value in values.items():
            setattr(row, name, value)
    for step, seconds in _durations(db, filters, "etape", DurationRollup.demarche == demarche.slug).items():
        if step in rows:
            rows[step].median_seconds = histogram.quantile(seconds, 0.5)
    _add_errors(db, demarche, filters, rows)
    _add_reports(db, demarche, filters, rows)
    return Funnel([row for row in rows.values() if row.reached or row.step in titles], started, completed)


def _add_errors(db: Session, demarche: Demarche, filters: Filters, rows: dict) -> None:
    labels = {question.id: question.label for page in flow.all_pages(demarche) for question in page.questions}
    labels["declaration"] = "Déclaration sur l'honneur"
    total = func.sum(FieldErrorDaily.count)
    found = db.execute(select(FieldErrorDaily.step, FieldErrorDaily.field, FieldErrorDaily.message, total)
                       .where(_range(FieldErrorDaily, filters), FieldErrorDaily.demarche == demarche.slug)
                       .group_by(FieldErrorDaily.step, FieldErrorDaily.field, FieldErrorDaily.message)
                       .order_by(total.desc()))
    for step, name, message, count in found:
        row = rows.get(step)
        if row is not None and len(row.top_errors) < TOP_ERRORS:
            row.top_errors.append((labels.get(name, name), message, count))


def whole_months(filters: Filters) -> tuple[date, date] | None:
    """The first day of the first and of the last calendar month lying wholly inside the period, if any."""
    first = filters.since if filters.since.day == 1 else month_end(filters.since) + timedelta(days=1)
    until = filters.until
    last = until.replace(day=1) if until == month_end(until) else (until.replace(day=1) - timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def _durations(db: Session, filters: Filters, kind: str, *conditions) -> dict[str, Counter]:
    """Subject -> {value: count} over the period, summed in the database: whole months from the monthly rows,
    the days before and after them from the daily rows."""
    months = whole_months(filters)
    if months is None:
        spans = [(DurationRollup.span == "jour") & _range(DurationRollup, filters)]
    else:
        spans = [(DurationRollup.span == "mois") & DurationRollup.day.between(*months),
                 (DurationRollup.span == "jour") & (DurationRollup.day >= filters.since)
                 & (DurationRollup.day < months[0]),
                 (DurationRollup.span == "jour") & (DurationRollup.day > month_end(months[1]))
                 & (DurationRollup.day <= filters.until)]
    found: dict = defaultdict(Counter)
    total = func.sum(DurationRollup.count)
    for subject, value, count in db.execute(
            select(DurationRollup.subject, DurationRollup.value, total)
            .where(DurationRollup.kind == kind, or_(*spans), *conditions)
            .group_by(DurationRollup.subject, DurationRollup.value)):
        found[subject][value] += int(count)
    return found


def step_of_page(slug: str, page: str) -> str | None:
    """The step a report was sent from: /demarches/<slug>/etape/<step>[/<item>] or /demarches/<slug>/verifier."""
    prefix = f"/demarches/{slug}/"
    if not page.startswith(prefix):
        return None
    parts = page[len(prefix):].split("?")[0].split("/")
    if parts[0] == "etape" and len(parts) > 1:
        return parts[1]
    if parts[0] == flow.CHECK_STEP:
        return flow.CHECK_STEP
    return None


def _add_reports(db: Session, demarche: Demarche, filters: Filters, rows: dict) -> None:
    lower, upper = _instants(filters)
    found = db.execute(select(Report.page, Report.category, Report.text, Report.created_at)
                       .where(Report.page.startswith(f"/demarches/{demarche.slug}/", autoescape=True),
                              Report.created_at >= lower, Report.created_at < upper)
                       .order_by(Report.created_at.desc()))
    for page, category, text, _at in found:
        row = rows.get(step_of_page(demarche.slug, page))
        if row is None:
            continue
        row.reports[category] += 1
        if text and len(row.latest_texts) < LATEST_TEXTS:
            row.latest_texts.append(text)


@dataclass
class Satisfaction:
    demarche: str | None
    channel: str
    answers: int
    average: float | None  # 1..5
    clear: int
    helped: int
    alone: int

    @property
    def score_out_of_10(self) -> float | None:
        return round((self.average - 1) / 4 * 10, 1) if self.average is not None else None


def satisfaction(db: Session, filters: Filters) -> list[Satisfaction]:
    """Answers per démarche and channel, summed from the daily roll-ups."""
    query = (select(SatisfactionDaily.demarche, SatisfactionDaily.channel, func.sum(SatisfactionDaily.answers),
                    func.sum(SatisfactionDaily.rating_sum), func.sum(SatisfactionDaily.clear),
                    func.sum(SatisfactionDaily.helped), func.sum(SatisfactionDaily.alone))
             .where(_range(SatisfactionDaily, filters))
             .group_by(SatisfactionDaily.demarche, SatisfactionDaily.channel)
             .order_by(SatisfactionDaily.demarche, SatisfactionDaily.channel))
    if filters.demarche:
        query = query.where(SatisfactionDaily.demarche == filters.demarche)
    if filters.channel:
        query = query.where(SatisfactionDaily.channel == filters.channel)
    return [Satisfaction(demarche or None, channel, int(answers), int(rating_sum) / int(answers), int(clear),
                         int(helped), int(alone))
            for demarche, channel, answers, rating_sum, clear, helped, alone in db.execute(query) if answers]


@dataclass
class Processing:
    channel: str
    received: int
    decided: int
    median_days: int | None
    p90_days: int | None
    in_time: int
    with_delay: int
    implicit: int
    missing_asked: int
    missing_median_days: int | None


def processing(db: Session, filters: Filters) -> list[Processing]:
    """Per channel: requests received, decided, how long it took, and the legal delay kept or not."""
    names = ("received", "decided", "decided_in_time", "with_delay", "implicit", "missing_asked")
    conditions = [_range(RequestDaily, filters)]
    if filters.demarche:
        conditions.append(RequestDaily.demarche == filters.demarche)
    if filters.channel:
        conditions.append(RequestDaily.channel == filters.channel)
    narrowed = [DurationRollup.demarche == filters.demarche] if filters.demarche else []
    if filters.channel:
        narrowed.append(DurationRollup.subject == filters.channel)
    days = _durations(db, filters, "decision", *narrowed)
    missing = _durations(db, filters, "pieces", *narrowed)
    result = []
    for channel, *sums in db.execute(select(RequestDaily.channel, *(func.sum(getattr(RequestDaily, name))
                                                                    for name in names))
                                     .where(*conditions).group_by(RequestDaily.channel).order_by(RequestDaily.channel)):
        values = dict(zip(names, (int(value or 0) for value in sums)))
        decided = days.get(channel, Counter())
        result.append(Processing(channel, values["received"], values["decided"], histogram.quantile(decided, 0.5),
                                 histogram.quantile(decided, 0.9), values["decided_in_time"], values["with_delay"],
                                 values["implicit"], values["missing_asked"],
                                 histogram.quantile(missing.get(channel, Counter()), 0.5)))
    return result


def requests_per_demarche(db: Session, filters: Filters) -> dict[str, tuple[int, int]]:
    """(received, received online) per démarche, for the Observatoire's volume and online share."""
    query = (select(RequestDaily.demarche, func.sum(RequestDaily.received),
                    func.sum(case((RequestDaily.channel == "web", RequestDaily.received), else_=0)))
             .where(_range(RequestDaily, filters)).group_by(RequestDaily.demarche))
    return {demarche: (int(total or 0), int(online or 0)) for demarche, total, online in db.execute(query)}


def search_misses(db: Session, filters: Filters) -> list[tuple[str, int]]:
    total = func.sum(SearchMissDaily.count)
    return [(query, int(count)) for query, count in db.execute(
        select(SearchMissDaily.query, total).where(_range(SearchMissDaily, filters))
        .group_by(SearchMissDaily.query).order_by(total.desc(), SearchMissDaily.query).limit(TOP_SEARCHES))]


@dataclass
class FicheRow:
    page: str
    useful_no: int
    votes: int
    reports: int


def fiches(db: Session, filters: Filters) -> list[FicheRow]:
    """Fiches with the most "utile ? non" votes, with their number of difficulty reports."""
    lower, upper = _instants(filters)
    no = func.sum(case((FeedbackVote.useful.is_(False), 1), else_=0))
    votes = {page: (int(no_count or 0), int(total)) for page, no_count, total in db.execute(
        select(FeedbackVote.page, no, func.count()).where(
            FeedbackVote.page.startswith("/fiches/"), FeedbackVote.created_at >= lower,
            FeedbackVote.created_at < upper).group_by(FeedbackVote.page))}
    reports = dict(db.execute(select(Report.page, func.count()).where(
        Report.page.startswith("/fiches/"), Report.created_at >= lower, Report.created_at < upper)
        .group_by(Report.page)).all())
    rows = [FicheRow(page, votes.get(page, (0, 0))[0], votes.get(page, (0, 0))[1], reports.get(page, 0))
            for page in votes.keys() | reports.keys()]
    return sorted(rows, key=lambda row: (-row.useful_no, -row.reports, row.page))[:TOP_FICHES]
