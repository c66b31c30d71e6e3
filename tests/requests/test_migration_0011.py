"""Migration 0011: requests stored with the old status names keep working, open ones get their legal date."""
from datetime import date

from sqlalchemy import create_engine, text

from guichet.db.migrate import upgrade

OLD = [("recue", "demande-acte-etat-civil"), ("en-instruction", "occupation-domaine-public"),
       ("pieces-manquantes", "demande-acte-etat-civil"), ("complete", "demande-acte-etat-civil"),
       ("acceptee", "demande-acte-etat-civil"), ("refusee", "demande-acte-etat-civil"),
       ("classee", "signaler-probleme-voie-publique"), ("recue", "signaler-probleme-voie-publique")]
EXPECTED = [("recue", date(2026, 3, 31)), ("en_instruction", date(2026, 3, 31)), ("incomplete", None),
            ("en_instruction", date(2026, 3, 31)), ("acceptee", None), ("refusee", None),
            ("classee_sans_suite", None), ("recue", None)]


def test_old_statuses_are_renamed_and_open_requests_get_their_date(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0010")
    engine = create_engine(url)
    with engine.begin() as connection:
        for number, (status, slug) in enumerate(OLD):
            connection.execute(text(
                "INSERT INTO requests (reference, tracking_secret_hash, idempotency_key, demarche, definition_version,"
                " channel, identity, answers, lang, status, version, received_at) VALUES (:ref, 'x', :key, :slug,"
                " 'v', 'web', '{}', '{}', 'fr', :status, 1, '2026-01-31 09:00:00')"),
                {"ref": f"OLD-{number}", "key": f"k{number}", "slug": slug, "status": status})
            connection.execute(text("INSERT INTO request_statuses (request_id, status, at) "
                                    "SELECT id, :status, '2026-01-31 09:00:00' FROM requests WHERE reference = :ref"),
                               {"ref": f"OLD-{number}", "status": status})
    upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status, decision_due FROM requests ORDER BY reference")).all()
        history = connection.execute(text("SELECT status FROM request_statuses ORDER BY request_id")).scalars().all()
    assert [(status, due and date.fromisoformat(str(due))) for status, due in rows] == EXPECTED
    assert history == [status for status, _due in EXPECTED]
