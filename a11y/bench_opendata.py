"""Benchmark (not a test): public statistics and the open-data API of a town with 100 000 requests.

    python -m a11y.bench_opendata [--requests 100000] [--database sqlite|postgresql|both] [--repeat 5]

Seeds the requests over the last 14 months with their status history (about 80 % decided, some by an
implicit decision), satisfaction answers and difficulty reports, one bulk insert per 10 000 rows. Then
times, in the server process (Flask's test client, no network): the monthly indicators computed from
scratch (the worker's daily run, or the first visitor before it), the first /statistiques of the day once
the worker has published them (one row read), then /statistiques, a démarche's statistics, the indicators
file and the API with the day's figures in memory. Targets: 300 ms for what a visitor waits for; the
worker's computation is printed for information.
"""
import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select, text

TARGET_MS = 300
REPORT_PAGES = ("/demarches/{slug}", "/demarches/{slug}/etape/1", "/fiches/pacs", "/aide")


def seed(app, count: int, now: datetime, seed_value: int = 9) -> None:
    """`count` requests received over the 14 months before `now`, their history, answers and reports."""
    from guichet import db
    from guichet.demarches.catalogue import catalogue
    from guichet.feedback.models import Report
    from guichet.indicators.models import SatisfactionAnswer
    from guichet.requests.models import DemarcheRequest, RequestStatus

    chance = random.Random(seed_value)
    with app.app_context():
        session = db.session()
        demarches = catalogue().all()
        first_id = (session.scalar(select(func.max(DemarcheRequest.id))) or 0) + 1
        start = now - timedelta(days=425)
        requests, history, answers, reports = [], [], [], []

        def flush(force: bool = False) -> None:
            """Every 10 000 requests, their rows in every table (requests first: the others point at them)."""
            if not force and len(requests) < 10_000:
                return
            for model, rows in ((DemarcheRequest, requests), (RequestStatus, history),
                                (SatisfactionAnswer, answers), (Report, reports)):
                if rows:
                    session.execute(insert(model), rows)
                    rows.clear()

        for number in range(count):
            request_id = first_id + number
            demarche = demarches[number % len(demarches)]
            received = start + timedelta(seconds=chance.random() * 425 * 86400)
            decided = received + timedelta(days=chance.expovariate(1 / 12))
            status = "en_instruction"
            if decided < now and chance.random() < 0.85:
                late = demarche.legal.implicit in ("acceptance", "rejection") and chance.random() < 0.08
                status = {"acceptance": "acceptation_implicite", "rejection": "rejet_implicite"}.get(
                    demarche.legal.implicit) if late else chance.choice(("acceptee", "acceptee", "refusee"))
            requests.append({"id": request_id, "reference": f"BEN-{request_id:09d}", "tracking_secret_hash": "0" * 64,
                             "idempotency_key": f"bench-opendata-{request_id}", "demarche": demarche.slug,
                             "definition_version": "1", "channel": "web", "identity": {}, "answers": {},
                             "lang": "fr", "status": status, "version": 1, "received_at": received,
                             "service": demarche.service.key})
            history.append({"request_id": request_id, "status": "recue", "at": received})
            if status != "en_instruction":
                history.append({"request_id": request_id, "status": status, "at": decided})
            if chance.random() < 0.2:
                answers.append({"request_id": request_id, "demarche": demarche.slug, "channel": "web",
                                "rating": chance.choice((2, 3, 4, 4, 5, 5)), "helpers": [], "comment": "",
                                "created_at": received + timedelta(minutes=3),
                                "updated_at": received + timedelta(minutes=3)})
            if chance.random() < 0.05:
                reports.append({"created_at": received, "category": "comprendre", "text": "",
                                "page": chance.choice(REPORT_PAGES).format(slug=demarche.slug), "lang": "fr",
                                "device": "mobile", "status": chance.choice(("nouveau", "traité"))})
            flush()
        flush(force=True)
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()


def time_get(client, path: str, repeat: int) -> tuple[float, float, int]:
    timings, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(timings), max(timings), status


def run(app, label: str, count: int, repeat: int) -> list[tuple[str, float, int, int]]:
    from guichet import db
    from guichet.db import utcnow
    from guichet.demarches.catalogue import catalogue
    from guichet.opendata.indicators import compute, publish
    from guichet.requests.mails import local_day

    started = time.perf_counter()
    seed(app, count, utcnow())
    print(f"\n{label}: {count} requests seeded in {time.perf_counter() - started:.1f} s")
    results = []
    with app.app_context():
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            compute(db.session(), catalogue(), local_day(utcnow()))
            timings.append((time.perf_counter() - started) * 1000)
        slug = catalogue().all()[0].slug
        publish(db.session(), catalogue(), local_day(utcnow()))
    print(f"  indicators computed (the worker, once a day)    median {statistics.median(timings):7.1f} ms   "
          f"max {max(timings):7.1f} ms")
    client = app.test_client()
    first = []
    for _ in range(repeat):
        app.extensions["guichet_opendata"] = {}  # a process starting its day
        started = time.perf_counter()
        status = client.get("/statistiques").status_code
        first.append((time.perf_counter() - started) * 1000)
    print(f"  first /statistiques of the day (reads the row)  median {statistics.median(first):7.1f} ms   "
          f"max {max(first):7.1f} ms   HTTP {status}")
    results.append(("première page du jour", statistics.median(first), status, TARGET_MS))
    for name, path in (("/statistiques", "/statistiques"), ("statistiques d'une démarche", f"/statistiques/{slug}"),
                       ("/donnees", "/donnees"), ("/donnees/indicateurs.csv", "/donnees/indicateurs.csv"),
                       ("API indicateurs, page 1", "/api/v1/indicateurs"),
                       ("API indicateurs d'une démarche", f"/api/v1/indicateurs?demarche={slug}"),
                       ("API démarches", "/api/v1/demarches"), ("API fiches", "/api/v1/fiches")):
        client.get(path)  # the first one of the day computes the indicators
        median, worst, status = time_get(client, path, repeat)
        print(f"  {name:<47} median {median:7.1f} ms   max {worst:7.1f} ms   HTTP {status}")
        results.append((name, median, status, TARGET_MS))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    from a11y.postgres import on_each_database

    results = on_each_database(options.database, lambda app, label: run(app, label, options.requests, options.repeat))
    slow = [result for result in results if result[1] >= result[3] or result[2] != 200]
    print(f"\n{len(results) - len(slow)}/{len(results)} under {TARGET_MS} ms (median)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
