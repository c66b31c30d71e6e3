"""Requests, satisfaction answers and reports written straight into a database of the tests' own."""
import itertools
from datetime import date, datetime, timedelta, timezone

from guichet import db
from guichet.feedback.models import Report
from guichet.indicators.models import SatisfactionAnswer
from guichet.requests.models import DemarcheRequest, RequestStatus
from tests.conftest import build_app

_numbers = itertools.count(1)


def fresh_app(tmp_path_factory):
    """An app on an empty database: the figures then depend only on what the test adds."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('opendata') / 'guichet.sqlite3'}")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def add_request(app, slug: str, received: datetime, decided_after_days: float | None = None,
                decision: str = "acceptee", before: str | None = None) -> None:
    """A request received at `received`; with a decision `decided_after_days` later (after `before`, if given)."""
    number = next(_numbers)
    with app.app_context():
        session = db.session()
        row = DemarcheRequest(reference=f"OD-{number:08d}", tracking_secret_hash="0" * 64,
                              idempotency_key=f"opendata-{number}", demarche=slug, definition_version="1",
                              channel="web", identity={}, answers={}, lang="fr",
                              status="en_instruction" if decided_after_days is None else decision,
                              received_at=received)
        row.history.append(RequestStatus(status="recue", at=received))
        if decided_after_days is not None:
            decided = received + timedelta(days=decided_after_days)
            if before:
                row.history.append(RequestStatus(status=before, at=decided - timedelta(hours=1)))
            row.history.append(RequestStatus(status=decision, at=decided))
        session.add(row)
        session.commit()


def add_answer(app, slug: str | None, created: datetime, rating: int) -> None:
    with app.app_context():
        session = db.session()
        session.add(SatisfactionAnswer(demarche=slug, channel="web", rating=rating, helpers=[], comment="",
                                       created_at=created))
        session.commit()


def add_report(app, page: str, created: datetime, status: str = "nouveau") -> None:
    with app.app_context():
        session = db.session()
        session.add(Report(category="comprendre", page=page, lang="fr", device="mobile", status=status,
                           created_at=created))
        session.commit()


def last_month_day(day: int = 2) -> date:
    """A day of the last complete month: the latest the statistics show."""
    first = date.today().replace(day=1)
    previous = first - timedelta(days=1)
    return previous.replace(day=day)


def seed_last_month(app) -> None:
    """Enough in the last complete month for every figure of one démarche to show, and a few reports (withheld)."""
    day = last_month_day()
    for days in (1, 2, 3, 4, 5, 6):
        add_request(app, "demande-acte-etat-civil", at(day), days)
    for rating in (5, 4, 4, 3, 5):
        add_answer(app, "demande-acte-etat-civil", at(day), rating)
    for status in ("traité", "nouveau", "traité"):
        add_report(app, "/demarches/demande-acte-etat-civil", at(day), status)
