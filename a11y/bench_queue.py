"""Benchmark (not a test): the back-office queue of a town with 100 000 requests, on SQLite and PostgreSQL.

    python -m a11y.bench_queue [--requests 100000] [--database sqlite|postgresql|both] [--repeat 5]

Seeds the requests with one bulk insert per 10 000 rows, then times each view in the server process
(Flask's test client: routing, access check, queries, template; no network): the default queue, each
tab, a few filters, a deep page, and the first bytes of an export. Two people: a superviseur of every
service (the worst case: every request is theirs) and an agent of one service. The target is 300 ms.
"""
import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, text

TARGET_MS = 300
STATUSES = [("recue", 30), ("en_instruction", 25), ("incomplete", 8), ("acceptee", 25), ("refusee", 7),
            ("classee_sans_suite", 5)]
CHANNELS = [("web", 70), ("telephone", 10), ("guichet", 10), ("courrier", 6), ("courriel", 4)]
GIVEN = ["Jeanne", "Louis", "Aïcha", "Mathéo", "Léa", "Karim", "Chloé", "Hugo", "Inès", "Noé", "Zoé", "Yanis"]
FAMILY = ["Dupont", "Lefèvre", "Martin", "Benali", "Nguyen", "Moreau", "Girard", "Diallo", "Roux", "Fontaine",
          "Müller", "Da Silva", "Petit", "Garnier", "Lambert", "Chevalier"]
SCENARIOS = [
    ("file par défaut (à traiter)", ""),
    ("onglet mes demandes", "onglet=mes-demandes"),
    ("onglet en attente du demandeur", "onglet=en-attente"),
    ("onglet terminées", "onglet=terminees"),
    ("onglet toutes", "onglet=toutes"),
    ("statut en instruction", "onglet=toutes&statut=en_instruction"),
    ("échéance dans 7 jours", "onglet=toutes&echeance=7"),
    ("reçues en mars 2026", "onglet=toutes&recue_du=2026-03-01&recue_au=2026-03-31"),
    ("canal téléphone", "onglet=toutes&canal=telephone"),
    ("suivies par personne", "onglet=toutes&responsable=personne"),
    ("texte : nom « lefevre »", "onglet=toutes&texte=lefevre"),
    ("texte : e-mail", "onglet=toutes&texte=jeanne.dupont"),
    ("texte : référence", "onglet=toutes&texte=2026-004242"),
    ("page profonde de toutes", "onglet=toutes&page={deep}"),
]


def seed(app, count: int, seed_value: int = 7) -> dict:
    """`count` requests across the démarches, statuses, channels and owners; returns the two benchmark people."""
    from guichet import db
    from guichet.demarches.catalogue import catalogue
    from guichet.requests.models import DemarcheRequest
    from guichet.requests.deadlines import decision_due
    from guichet.requests.submission import search_columns
    from guichet.requests.workflow import FINAL_STATUSES
    from guichet.staff.models import StaffMember, StaffRole

    chance = random.Random(seed_value)
    with app.app_context():
        session = db.session()
        demarches = [demarche for demarche in catalogue().all() if demarche.service.key]
        services = sorted({demarche.service.key for demarche in demarches})
        boss = StaffMember(email="bench-superviseur@admiville.test", given_name="Bench", family_name="Superviseur",
                           failed_attempts=0, roles=[StaffRole(role="superviseur", service=key) for key in services])
        agents = [StaffMember(email=f"bench-agent{number}@admiville.test", given_name="Agent", family_name=str(number),
                              failed_attempts=0, roles=[StaffRole(role="agent", service=services[number % len(services)])])
                  for number in range(20)]
        session.add_all([boss, *agents])
        session.flush()
        owners_by_service = {key: [agent.id for agent in agents if agent.roles[0].service == key] for key in services}
        start = datetime(2025, 1, 1, tzinfo=timezone.utc)
        span = (datetime(2026, 12, 1, tzinfo=timezone.utc) - start).total_seconds()
        statuses, status_weights = zip(*STATUSES)
        channels, channel_weights = zip(*CHANNELS)
        rows = []
        for number in range(1, count + 1):
            demarche = chance.choice(demarches)
            status = chance.choices(statuses, status_weights)[0]
            received = start + timedelta(seconds=chance.random() * span)
            given, family = chance.choice(GIVEN), chance.choice(FAMILY)
            email = f"{given}.{family}{number}@exemple.fr".lower().replace(" ", "")
            identity = {"identite_prenom": given, "identite_nom": family, "identite_email": email}
            owned = status != "recue" or chance.random() < 0.3
            rows.append({
                "reference": f"ADM-{received.year}-{number:06d}", "tracking_secret_hash": "0" * 64,
                "idempotency_key": f"bench-{number}", "demarche": demarche.slug, "definition_version": "1",
                "channel": chance.choices(channels, channel_weights)[0], "identity": identity, "answers": {},
                "email": email, "lang": "fr", "status": status, "version": 1, "received_at": received,
                "service": demarche.service.key,
                "owner_id": chance.choice(owners_by_service[demarche.service.key]) if owned else None,
                "decision_due": None if status in FINAL_STATUSES else decision_due(received.date(), demarche.legal,
                                                                                    []),
                **search_columns(identity, email)})
            if len(rows) == 10_000:
                session.execute(insert(DemarcheRequest), rows)
                rows = []
        if rows:
            session.execute(insert(DemarcheRequest), rows)
        session.commit()
        # Fresh statistics for the planner, as PostgreSQL's autovacuum (and SQLite's `PRAGMA optimize`) keep them.
        session.execute(text("ANALYZE"))
        session.commit()
        agent = session.scalar(select(StaffMember).where(StaffMember.email == "bench-agent0@admiville.test"))
        return {"superviseur (tous les services)": boss.id, f"agent ({agent.roles[0].service})": agent.id}


def signed_in_client(app, member_id: int):
    from guichet import db
    from guichet.gestion.access import SESSION_KEY
    from guichet.staff import signin
    from guichet.staff.models import StaffMember

    client = app.test_client()
    with app.app_context():
        session = db.session()
        token = signin.start_session(session, session.get(StaffMember, member_id), "local")
        session.commit()
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = token
    return client


def time_get(client, path: str, repeat: int, first_chunk: bool = False) -> tuple[float, float, int]:
    """Median and worst time in ms over `repeat` requests (after one warm-up), and the status code."""
    timings, status = [], 0
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(path, buffered=not first_chunk)
        if first_chunk:
            next(iter(response.response))
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        response.close()
        if attempt:
            timings.append(elapsed)
    return statistics.median(timings), max(timings), status


def run(app, label: str, count: int, repeat: int) -> list[tuple]:
    started = time.perf_counter()
    people = seed(app, count)
    print(f"\n{label}: {count} requests seeded in {time.perf_counter() - started:.1f} s")
    results = []
    for person, member_id in people.items():
        client = signed_in_client(app, member_id)
        print(f"  {person}")
        deep = max(1, count // 1000)  # page 100 of 100 000 requests; page 1 of a small smoke-test town
        checks = [(name, "/gestion/demandes" + (f"?{query.format(deep=deep)}" if query else ""), False)
                  for name, query in SCENARIOS]
        checks.append(("export CSV, premiers octets", "/gestion/demandes/export.csv?onglet=toutes", True))
        checks.append(("export JSON, premiers octets", "/gestion/demandes/export.json", True))
        for name, path, streamed in checks:
            median, worst, status = time_get(client, path, repeat, streamed)
            flag = "ok" if median < TARGET_MS and status == 200 else "SLOW" if status == 200 else f"HTTP {status}"
            print(f"    {name:<34} median {median:7.1f} ms   max {worst:7.1f} ms   {flag}")
            results.append((label, person, name, median, worst, status))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    from a11y.postgres import on_each_database

    results = on_each_database(options.database, lambda app, label: run(app, label, options.requests, options.repeat))
    slow = [result for result in results if result[3] >= TARGET_MS or result[5] != 200]
    print(f"\n{len(results) - len(slow)}/{len(results)} under {TARGET_MS} ms (median)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
