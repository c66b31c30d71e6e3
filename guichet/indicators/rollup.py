"""Daily roll-ups of the funnel and of requests, written by the worker; the dashboard reads only these.

Each run recomputes the recent days (a journey may go on for a draft's whole lifetime, a request may be
decided any day), deletes those days' rows and writes them again: running it twice gives the same rows.
Raw funnel events older than 25 months are deleted; the roll-ups stay.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from guichet.demarches.catalogue import catalogue
from guichet.feedback.models import FunnelEvent
from guichet.indicators import histogram
from guichet.indicators.models import (DurationRollup, FieldErrorDaily, FunnelStepDaily, RequestDaily,
                                       SatisfactionAnswer, SatisfactionDaily)
from guichet.requests.deadlines import MissingPeriod, decision_due
from guichet.requests.mails import PARIS, local_day
from guichet.requests.models import DemarcheRequest, MissingDocuments, RequestStatus
from guichet.requests.receipt import counting_rules
from guichet.requests.workflow import FINAL_STATUSES

RECOMPUTED_DAYS = 31  # longer than a draft's lifetime: a journey started before that is over
RAW_EVENTS_MONTHS = 25
IMPLICIT_STATUSES = frozenset({"acceptation_implicite", "rejet_implicite"})
SLICE_DAYS = 92  # funnel events are read a quarter at a time, so memory stays flat over years of data
UTC = ZoneInfo("UTC")


def day_start(day: date) -> datetime:
    """Midnight in French time, as an aware datetime: days of the roll-ups are the days people live."""
    return datetime.combine(day, time(0), tzinfo=PARIS)


@dataclass
class StepCounts:
    reached: int = 0
    went_on: int = 0
    left: int = 0
    errors: int = 0
    timeouts: int = 0
    saves: int = 0
    started: int = 0
    completed: int = 0
    durations: dict = field(default_factory=dict)


def _time_targets(events: list) -> dict[int, object]:
    """For each view (by position): the next event that ends the time on its step (a view of another step,
    or the sending); one backward pass, so long journeys cost no more than short ones."""
    targets, nearest, nearest_index = {}, None, None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.event not in ("viewed", "completed"):
            continue
        if event.event == "viewed":
            same_step = nearest is not None and nearest.event == "viewed" and nearest.step == event.step
            targets[index] = targets.get(nearest_index) if same_step else nearest
        nearest, nearest_index = event, index
    return targets


def journey_counts(events: list, steps: dict, field_errors: dict) -> None:
    """Add one journey's events (sorted by time) to the per-day, per-step counts."""
    first_views, last_view = {}, None
    targets = _time_targets(events)
    for index, event in enumerate(events):
        key = (local_day(event.at), event.demarche, event.step)
        if event.event == "viewed":
            first_views.setdefault(event.step, event)
            last_view = event
            following = targets.get(index)
            if following is not None:
                histogram.add(steps[key].durations, histogram.seconds_key((following.at - event.at).total_seconds()))
        elif event.event == "error":
            steps[key].errors += 1
            for name, message in zip(event.fields or [], event.messages or [None] * len(event.fields or [])):
                field_errors[(*key, name, (message or "")[:300])] += 1
        elif event.event == "saved":
            steps[key].saves += 1
        elif event.event == "completed":
            steps[key].completed += 1
        elif event.event == "abandoned_timeout" and last_view is not None:
            steps[(local_day(last_view.at), last_view.demarche, last_view.step)].timeouts += 1
    completed = any(event.event == "completed" for event in events)
    ordered = list(first_views.values())
    for position, first in enumerate(ordered):
        counts = steps[(local_day(first.at), first.demarche, first.step)]
        counts.reached += 1
        counts.started += position == 0
        if position < len(ordered) - 1 or completed:
            counts.went_on += 1
        else:
            counts.left += 1


def funnel_counts(db: Session, since: date, until: date) -> tuple[dict, dict]:
    """Counts for the days since..until, from the events of every journey that touched them."""
    steps: dict = defaultdict(StepCounts)
    field_errors: dict = defaultdict(int)
    columns = (FunnelEvent.journey, FunnelEvent.demarche, FunnelEvent.step, FunnelEvent.event, FunnelEvent.fields,
               FunnelEvent.messages, FunnelEvent.at)
    query = (select(*columns).where(FunnelEvent.at >= day_start(since - timedelta(days=RECOMPUTED_DAYS)),
                                    FunnelEvent.at < day_start(until + timedelta(days=1)))
             .order_by(FunnelEvent.journey, FunnelEvent.at, FunnelEvent.id))
    current, events = object(), []
    for event in db.execute(query).yield_per(5000):
        if event.journey != current or event.journey is None:
            if events:
                journey_counts(events, steps, field_errors)
            current, events = event.journey, []
        events.append(event)
    if events:
        journey_counts(events, steps, field_errors)
    in_range = lambda key: since <= key[0] <= until
    return ({key: value for key, value in steps.items() if in_range(key)},
            {key: value for key, value in field_errors.items() if in_range(key)})


def write_funnel(db: Session, since: date, until: date) -> int:
    """Replace the funnel roll-ups of since..until; returns the number of step rows written."""
    written = 0
    start = since
    while start <= until:
        end = min(until, start + timedelta(days=SLICE_DAYS - 1))
        steps, field_errors = funnel_counts(db, start, end)
        db.execute(delete(FunnelStepDaily).where(FunnelStepDaily.day >= start, FunnelStepDaily.day <= end))
        db.execute(delete(FieldErrorDaily).where(FieldErrorDaily.day >= start, FieldErrorDaily.day <= end))
        _insert(db, FunnelStepDaily, [{"day": day, "demarche": demarche, "step": step, **_counts(counts)}
                                      for (day, demarche, step), counts in steps.items()])
        _replace_durations(db, start, end, ("etape",), [(day, demarche, "etape", step, counts.durations)
                                                        for (day, demarche, step), counts in steps.items()])
        _insert(db, FieldErrorDaily, [{"day": day, "demarche": demarche, "step": step, "field": name,
                                       "message": message, "count": count}
                                      for (day, demarche, step, name, message), count in field_errors.items()])
        written += len(steps)
        start = end + timedelta(days=1)
    return written


@dataclass
class RequestCounts:
    received: int = 0
    decided: int = 0
    decided_in_time: int = 0
    with_delay: int = 0
    implicit: int = 0
    decision_days: dict = field(default_factory=dict)
    missing_asked: int = 0
    missing_days: dict = field(default_factory=dict)


def request_counts(db: Session, since: date, until: date) -> dict:
    """Per (day, démarche, channel): requests received, decided (with their delays), documents asked."""
    counts: dict = defaultdict(RequestCounts)
    lower, upper = day_start(since), day_start(until + timedelta(days=1))
    rows = {row.id: row for row in db.execute(select(
        DemarcheRequest.id, DemarcheRequest.demarche, DemarcheRequest.channel, DemarcheRequest.received_at))}
    for row in rows.values():
        if lower <= _aware(row.received_at) < upper:
            counts[(local_day(row.received_at), row.demarche, row.channel)].received += 1
    periods = defaultdict(list)
    for missing in db.execute(select(MissingDocuments.request_id, MissingDocuments.requested_at,
                                     MissingDocuments.deadline, MissingDocuments.completed_at)):
        periods[missing.request_id].append(MissingPeriod(local_day(missing.requested_at), missing.deadline,
                                                         local_day(missing.completed_at) if missing.completed_at
                                                         else None))
        row = rows.get(missing.request_id)
        if row is not None and lower <= _aware(missing.requested_at) < upper:
            entry = counts[(local_day(missing.requested_at), row.demarche, row.channel)]
            entry.missing_asked += 1
            if missing.completed_at is not None:
                histogram.add(entry.missing_days, str((local_day(missing.completed_at)
                                                       - local_day(missing.requested_at)).days))
    decisions = db.execute(select(RequestStatus.request_id, RequestStatus.status, func.min(RequestStatus.at))
                           .where(RequestStatus.status.in_(FINAL_STATUSES))
                           .group_by(RequestStatus.request_id, RequestStatus.status))
    first_decision = {}
    for request_id, status, at in decisions:
        if request_id not in first_decision or _aware(at) < _aware(first_decision[request_id][1]):
            first_decision[request_id] = (status, at)
    definitions, rules = catalogue(), counting_rules()
    for request_id, (status, at) in first_decision.items():
        row = rows.get(request_id)
        if row is None or not lower <= _aware(at) < upper:
            continue
        decided_day, received_day = local_day(at), local_day(row.received_at)
        entry = counts[(decided_day, row.demarche, row.channel)]
        entry.decided += 1
        histogram.add(entry.decision_days, str((decided_day - received_day).days))
        implicit = status in IMPLICIT_STATUSES
        entry.implicit += implicit
        demarche = definitions.get(row.demarche)
        due = decision_due(received_day, demarche.legal, periods[request_id], rules) if demarche else None
        if due is not None:
            entry.with_delay += 1
            entry.decided_in_time += not implicit and decided_day <= due
    return counts


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC): compare them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def write_requests(db: Session, since: date, until: date) -> int:
    counts = request_counts(db, since, until)
    db.execute(delete(RequestDaily).where(RequestDaily.day >= since, RequestDaily.day <= until))
    _insert(db, RequestDaily, [{"day": day, "demarche": demarche, "channel": channel, **_counts(entry)}
                               for (day, demarche, channel), entry in counts.items()])
    _replace_durations(db, since, until, ("decision", "pieces"), [
        (day, demarche, kind, channel, values) for (day, demarche, channel), entry in counts.items()
        for kind, values in (("decision", entry.decision_days), ("pieces", entry.missing_days))])
    return len(counts)


def _counts(entry) -> dict:
    """A roll-up row's counters: the histograms go to DurationRollup."""
    return {name: value for name, value in vars(entry).items() if not isinstance(value, dict)}


def _replace_durations(db: Session, since: date, until: date, kinds: tuple, histograms: list) -> None:
    """Replace the daily duration rows of since..until, then the monthly rows of the months they touch."""
    db.execute(delete(DurationRollup).where(DurationRollup.span == "jour", DurationRollup.kind.in_(kinds),
                                            DurationRollup.day >= since, DurationRollup.day <= until))
    _insert(db, DurationRollup, [{"kind": kind, "demarche": demarche, "span": "jour", "day": day,
                                  "subject": subject, "value": int(value), "count": count}
                                 for day, demarche, kind, subject, values in histograms
                                 for value, count in values.items()])
    first, last = since.replace(day=1), month_end(until)
    monthly: dict = defaultdict(int)
    for kind, demarche, day, subject, value, count in db.execute(
            select(DurationRollup.kind, DurationRollup.demarche, DurationRollup.day, DurationRollup.subject,
                   DurationRollup.value, DurationRollup.count)
            .where(DurationRollup.span == "jour", DurationRollup.kind.in_(kinds), DurationRollup.day >= first,
                   DurationRollup.day <= last)):
        monthly[(kind, demarche, day.replace(day=1), subject, value)] += count
    db.execute(delete(DurationRollup).where(DurationRollup.span == "mois", DurationRollup.kind.in_(kinds),
                                            DurationRollup.day >= first, DurationRollup.day <= last))
    _insert(db, DurationRollup, [{"kind": kind, "demarche": demarche, "span": "mois", "day": month,
                                  "subject": subject, "value": value, "count": count}
                                 for (kind, demarche, month, subject, value), count in monthly.items()])


def _insert(db: Session, model, rows: list[dict]) -> None:
    """One bulk insert per 5 000 rows: the first run writes years of days."""
    for start in range(0, len(rows), 5000):
        db.execute(insert(model), rows[start:start + 5000])


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def write_satisfaction(db: Session, since: date, until: date) -> int:
    """Replace the satisfaction roll-ups of since..until, from the answers given on those days."""
    sums: dict = defaultdict(lambda: {"answers": 0, "rating_sum": 0, "clear": 0, "helped": 0, "alone": 0})
    for answer in db.execute(select(SatisfactionAnswer.demarche, SatisfactionAnswer.channel, SatisfactionAnswer.rating,
                                    SatisfactionAnswer.clarity, SatisfactionAnswer.helpers, SatisfactionAnswer.created_at)
                             .where(SatisfactionAnswer.created_at >= day_start(since),
                                    SatisfactionAnswer.created_at < day_start(until + timedelta(days=1)))):
        entry = sums[(local_day(answer.created_at), answer.demarche or "", answer.channel)]
        helpers = set(answer.helpers or [])
        entry["answers"] += 1
        entry["rating_sum"] += answer.rating
        entry["clear"] += answer.clarity == "oui"
        entry["helped"] += bool(helpers - {"personne"})
        entry["alone"] += helpers == {"personne"}
    db.execute(delete(SatisfactionDaily).where(SatisfactionDaily.day >= since, SatisfactionDaily.day <= until))
    _insert(db, SatisfactionDaily, [{"day": day, "demarche": demarche, "channel": channel, **entry}
                                    for (day, demarche, channel), entry in sums.items()])
    return len(sums)


def purge_raw_events(db: Session, today: date) -> int:
    """Raw funnel events older than 25 months go; the roll-ups keep what they said."""
    limit = _months_before(today, RAW_EVENTS_MONTHS)
    return db.execute(delete(FunnelEvent).where(FunnelEvent.at < day_start(limit))).rowcount


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, 28))


def first_day(db: Session, today: date) -> date:
    """Where this run starts: the recent days, or the oldest data when nothing is rolled up yet."""
    recent = today - timedelta(days=RECOMPUTED_DAYS)
    if any(db.scalar(select(func.count()).select_from(model))
           for model in (FunnelStepDaily, RequestDaily, SatisfactionDaily)):
        return recent
    oldest = [moment for moment in (db.scalar(select(func.min(FunnelEvent.at))),
                                    db.scalar(select(func.min(DemarcheRequest.received_at))),
                                    db.scalar(select(func.min(SatisfactionAnswer.created_at)))) if moment]
    return min([recent, *(local_day(moment) for moment in oldest)])


def run(db: Session, now: datetime) -> str:
    """One worker pass: recompute the recent days, purge old raw events; the caller's session commits."""
    today = local_day(now)
    since = first_day(db, today)
    steps = write_funnel(db, since, today)
    requests = write_requests(db, since, today)
    write_satisfaction(db, since, today)
    purged = purge_raw_events(db, today)
    return f"{steps} step rows, {requests} request rows since {since.isoformat()}, {purged} old events purged"
