"""Retention enforced: the dry run changes nothing, the real run deletes exactly what is past, bytes included."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.db import utcnow
from guichet.demarches import storage
from guichet.demarches.catalogue import catalogue
from guichet.demarches.models import StoredFile
from guichet.feedback.models import Report
from guichet.privacy import retention
from guichet.requests.models import DemarcheRequest, RequestMessage
from guichet.worker import runner
from guichet.worker.jobs import JOBS
from tests.privacy.helpers import add_report, add_request, months_ago


@pytest.mark.parametrize("moment, months, expected", [
    (datetime(2026, 3, 31, 10, tzinfo=timezone.utc), 1, datetime(2026, 2, 28, 10, tzinfo=timezone.utc)),
    (datetime(2024, 3, 31, tzinfo=timezone.utc), 1, datetime(2024, 2, 29, tzinfo=timezone.utc)),
    (datetime(2026, 1, 15, tzinfo=timezone.utc), 12, datetime(2025, 1, 15, tzinfo=timezone.utc)),
    (datetime(2026, 1, 15, tzinfo=timezone.utc), 13, datetime(2024, 12, 15, tzinfo=timezone.utc)),
    (datetime(2026, 5, 31, tzinfo=timezone.utc), 24, datetime(2024, 5, 31, tzinfo=timezone.utc)),
])
def test_months_before(moment, months, expected):
    assert retention.months_before(moment, months) == expected


def test_every_published_demarche_states_a_duration_in_months(app):
    with app.app_context():
        assert all(demarche.privacy.retention_months >= 1 for demarche in catalogue().all())
        assert catalogue().get("inscription-cantine").privacy.retention_months == 24


def _plan(app):
    with app.app_context():
        return retention.plan(db.session(), catalogue(), utcnow(), 12)


def _exists(app, request_id) -> bool:
    with app.app_context():
        return db.session().get(DemarcheRequest, request_id) is not None


@pytest.fixture
def dated(app):
    """The état-civil démarche keeps 12 months; the canteen one 24."""
    with app.app_context():
        db.session().query(Report).delete()
        for row in db.session().scalars(select(DemarcheRequest)):
            from guichet.privacy.deletion import delete_request
            delete_request(db.session(), row)
        db.session().commit()
    return {
        "decided_old": add_request(app, status="acceptee", received=months_ago(15), decided=months_ago(13),
                                   message="Voici le document", file=b"%PDF-1.4 old"),
        "decided_recent": add_request(app, status="refusee", received=months_ago(15), decided=months_ago(11),
                                      file=b"%PDF-1.4 recent"),
        "undecided_old": add_request(app, status="recue", received=months_ago(13)),
        "processing_recently_moved": add_request(app, status="en_instruction", received=months_ago(14),
                                                 decided=months_ago(2)),
        "canteen_13": add_request(app, demarche="inscription-cantine", service="education", status="acceptee",
                                  received=months_ago(14), decided=months_ago(13)),
        "unknown_demarche": add_request(app, demarche="ancienne-demarche", status="acceptee",
                                        received=months_ago(40), decided=months_ago(39)),
        "report_old": add_report(app, created=months_ago(13)),
        "report_recent": add_report(app, created=months_ago(6)),
    }


def test_the_plan_lists_exactly_what_is_past(app, dated):
    planned = _plan(app)
    assert {expired.id for expired in planned.requests} == {dated["decided_old"]["id"], dated["undecided_old"]["id"]}
    assert planned.report_contacts == [dated["report_old"]]
    assert planned.undefined_demarches == {"ancienne-demarche": 1}


def test_dry_run_changes_nothing(app, dated):
    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert dated["decided_old"]["reference"] in result.output and "2 request(s), 1 report contact" in result.output
    assert "ancienne-demarche" in result.output
    assert _exists(app, dated["decided_old"]["id"]) and _exists(app, dated["undecided_old"]["id"])
    with app.app_context():
        assert db.session().get(Report, dated["report_old"]).contact_email is not None
    folder = Path(app.config["UPLOAD_DIR"])
    assert (folder / dated["decided_old"]["files"][0]).exists()


def test_real_run_deletes_what_is_past_files_bytes_and_messages_included(app, dated):
    folder = Path(app.config["UPLOAD_DIR"])
    old_file, recent_file = dated["decided_old"]["files"][0], dated["decided_recent"]["files"][0]
    with app.app_context():
        audit_before = db.session().scalar(select(func.count()).select_from(AuditEntry))
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 request(s) and 1 file(s)" in result.output
    assert not _exists(app, dated["decided_old"]["id"]) and not _exists(app, dated["undecided_old"]["id"])
    for kept in ("decided_recent", "processing_recently_moved", "canteen_13", "unknown_demarche"):
        assert _exists(app, dated[kept]["id"]), kept
    assert not (folder / old_file).exists() and (folder / recent_file).exists()
    with app.app_context():
        session = db.session()
        assert session.scalar(select(StoredFile).where(StoredFile.stored_name == old_file)) is None
        assert session.scalar(select(func.count()).select_from(RequestMessage).where(
            RequestMessage.request_id == dated["decided_old"]["id"])) == 0
        assert session.get(Report, dated["report_old"]).contact_email is None
        assert session.get(Report, dated["report_old"]).text  # the report stays, anonymous
        assert session.get(Report, dated["report_recent"]).contact_email is not None
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "conservation_appliquee")
                               .order_by(AuditEntry.id.desc()).limit(1))
        assert sorted(entry.details["demandes"]) == sorted([dated["decided_old"]["reference"],
                                                            dated["undecided_old"]["reference"]])
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before + 1
    assert _plan(app).requests == []


def test_database_storage_bytes_go_with_the_request(tmp_path):
    from tests.conftest import build_app
    app = build_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", FILE_STORAGE="database")
    added = add_request(app, status="classee_sans_suite", received=months_ago(20), decided=months_ago(14), file=b"secret bytes")
    with app.app_context():
        from guichet.demarches.models import StoredFileBlob
        assert db.session().scalar(select(func.count()).select_from(StoredFileBlob)) == 1
        applied = retention.apply(db.session(), _plan(app), "test")
        assert applied.requests == 1 and applied.files == 1
        assert db.session().scalar(select(func.count()).select_from(StoredFileBlob)) == 0
        assert isinstance(storage.backend(), storage.DatabaseStorage)
    assert not _exists(app, added["id"])


def test_the_worker_runs_retention_daily(app, dated):
    job = next(job for job in JOBS if job.name == "conservation")
    assert job.every.days == 1
    with app.app_context():
        runner.reschedule_now(db.session(), ["conservation"])
    assert "conservation" in runner.run_due(app, jobs=[job])
    assert not _exists(app, dated["decided_old"]["id"]) and _exists(app, dated["decided_recent"]["id"])
