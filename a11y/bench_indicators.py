"""Benchmark (not a test): the indicators dashboard over 1 000 000 funnel events and 100 000 requests,
on SQLite and PostgreSQL.

    python -m a11y.bench_indicators [--events 1000000] [--requests 100000] [--database sqlite|postgresql|both]

Seeds the requests (the queue benchmark's seeding, plus decisions and requests for documents), the funnel
events (journeys of 2 years across every démarche) and satisfaction answers, times the worker's first
roll-up (every day since the oldest event) and a daily one, then times /gestion/indicateurs and the CSV in
the server process (Flask's test client, no network) for a few periods and filters. The target is 1 s.
"""
import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from a11y.bench_queue import seed as seed_requests
from a11y.bench_queue import signed_in_client, time_get

TARGET_MS = 1000
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
SPAN_DAYS = 700
SCENARIOS = [
    ("90 derniers jours (défaut)", ""),
    ("2 ans, inscription-cantine", "depuis=2025-01-01&jusqu_au=2026-12-01&demarche=inscription-cantine"),
    ("2 ans, canal téléphone", "depuis=2025-01-01&jusqu_au=2026-12-01&canal=telephone"),
    ("mars 2026, état civil", "depuis=2026-03-01&jusqu_au=2026-03-31&demarche=demande-acte-etat-civil"),
]


def seed_decisions(app, chance: random.Random) -> None:
    """A history for every decided request (1 to 90 days after receipt), documents asked for one in ten."""
    from guichet import db
    from guichet.requests.models import DemarcheRequest, MissingDocuments, RequestStatus
    from guichet.requests.workflow import FINAL_STATUSES

    with app.app_context():
        session = db.session()
        statuses, missing = [], []
        for request_id, status, received in session.execute(select(
                DemarcheRequest.id, DemarcheRequest.status, DemarcheRequest.received_at)):
            received = received if received.tzinfo else received.replace(tzinfo=UTC)
            if status in FINAL_STATUSES:
                statuses.append({"request_id": request_id, "status": status, "note": None, "actor_id": None,
                                 "at": received + timedelta(days=chance.randint(1, 90))})
            if chance.random() < 0.1:
                asked = received + timedelta(days=chance.randint(1, 10))
                missing.append({"request_id": request_id, "requested_at": asked, "deadline": (asked + timedelta(
                    days=30)).date(), "items": [], "closed": False,
                    "completed_at": asked + timedelta(days=chance.randint(1, 25)) if chance.random() < 0.7 else None})
        for start in range(0, len(statuses), 10_000):
            session.execute(insert(RequestStatus), statuses[start:start + 10_000])
        for start in range(0, len(missing), 10_000):
            session.execute(insert(MissingDocuments), missing[start:start + 10_000])
        session.commit()


def seed_funnel(app, count: int, chance: random.Random) -> int:
    """About `count` events: journeys through each démarche's steps, a few leaving at each step."""
    from guichet import db
    from guichet.demarches import flow
    from guichet.demarches.catalogue import catalogue
    from guichet.feedback.models import FunnelEvent
    from guichet.indicators.models import SatisfactionAnswer

    with app.app_context():
        session = db.session()
        demarches = catalogue().all()
        rows, written, journey = [], 0, 0
        while written < count:
            demarche = chance.choice(demarches)
            steps = [page.id for page in flow.all_pages(demarche)] + [flow.CHECK_STEP]
            moment = NOW - timedelta(days=chance.random() * SPAN_DAYS)
            token = f"bench-{journey}"
            journey += 1
            for step in steps:
                rows.append({"demarche": demarche.slug, "step": step, "event": "viewed", "journey": token,
                             "at": moment, "fields": None, "messages": None})
                moment += timedelta(seconds=chance.randint(5, 300))
                if chance.random() < 0.1:
                    question = demarche.pages[0].questions[0].id if demarche.pages else "-"
                    rows.append({"demarche": demarche.slug, "step": step, "event": "error", "journey": token,
                                 "at": moment, "fields": [question], "messages": ["Écrivez une date complète."]})
                if chance.random() < 0.05:
                    break
            else:
                rows.append({"demarche": demarche.slug, "step": flow.CHECK_STEP, "event": "completed",
                             "journey": token, "at": moment, "fields": None, "messages": None})
            if len(rows) >= 20_000:
                session.execute(insert(FunnelEvent), rows)
                written += len(rows)
                rows = []
        if rows:
            session.execute(insert(FunnelEvent), rows)
            written += len(rows)
        answers = [{"request_id": None, "demarche": chance.choice(demarches).slug,
                    "channel": chance.choice(("web", "web", "guichet", "telephone")), "rating": chance.randint(1, 5),
                    "clarity": chance.choice(("oui", "en-partie", "non")), "helpers": ["personne"], "comment": "",
                    "created_at": NOW - timedelta(days=chance.random() * SPAN_DAYS), "updated_at": NOW}
                   for _ in range(max(100, count // 50))]  # 20 000 for a million events
        session.execute(insert(SatisfactionAnswer), answers)
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        return written


def timed_rollup(app, now: datetime) -> float:
    from guichet import db
    from guichet.worker.jobs import roll_up_indicators
    with app.app_context():
        started = time.perf_counter()
        print(f"    {roll_up_indicators(db.session(), now)}")
        return time.perf_counter() - started


def run(app, label: str, events: int, requests: int, repeat: int) -> list[tuple]:
    chance = random.Random(11)
    started = time.perf_counter()
    people = seed_requests(app, requests)
    seed_decisions(app, chance)
    written = seed_funnel(app, events, chance)
    print(f"\n{label}: {requests} requests and {written} funnel events seeded in {time.perf_counter() - started:.0f} s")
    print(f"  worker, first roll-up (every day since the oldest event): {timed_rollup(app, NOW):.1f} s")
    print(f"  worker, hourly roll-up (the last 31 days): {timed_rollup(app, NOW + timedelta(hours=1)):.1f} s")
    client = signed_in_client(app, people["superviseur (tous les services)"])
    results = []
    checks = [(name, "/gestion/indicateurs/" + (f"?{query}" if query else "")) for name, query in SCENARIOS]
    checks.append(("export Observatoire CSV, 2 ans", "/gestion/indicateurs/observatoire.csv?depuis=2025-01-01"))
    for name, path in checks:
        median, worst, status = time_get(client, path, repeat)
        flag = "ok" if median < TARGET_MS and status == 200 else "SLOW" if status == 200 else f"HTTP {status}"
        print(f"    {name:<36} median {median:7.1f} ms   max {worst:7.1f} ms   {flag}")
        results.append((label, name, median, worst, status))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    from a11y.postgres import on_each_database

    results = on_each_database(options.database, lambda app, label: run(app, label, options.events, options.requests, options.repeat))
    slow = [result for result in results if result[2] >= TARGET_MS or result[4] != 200]
    print(f"\n{len(results) - len(slow)}/{len(results)} under {TARGET_MS} ms (median)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
