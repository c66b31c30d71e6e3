"""The worker reminds a fiche's owner service: review date passed, many "je ne comprends pas" reports."""
from datetime import datetime, timedelta, timezone

import pytest

from guichet import db
from guichet.editorial import reminders
from guichet.feedback.models import Report
from guichet.mail.models import OutboxMessage
from tests.conftest import build_app

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('reminders') / 'guichet.sqlite3'}")


def report(page: str, category: str = "comprendre") -> Report:
    return Report(category=category, text="", page=page, lang="fr", device="mobile", created_at=NOW - timedelta(days=2))


def test_many_confusion_reports_email_the_owner_service_once_a_month(app):
    with app.app_context():
        session = db.session()
        session.add_all([report("/fiches/pacs") for _ in range(3)] + [report("/fiches/pacs", "autre")] * 1
                        + [report("/fiches/rsa")])
        session.flush()
        services = app.config["SETTINGS"]["services"]
        assert reminders.send(session, NOW, 3, services, "https://example.test") == 1
        sent = session.query(OutboxMessage).filter(OutboxMessage.subject.like("Fiche difficile%")).all()
        assert [message.recipient for message in sent] == [services["etat-civil"]["email"]]
        assert "3 personnes" in sent[0].body and "https://example.test/gestion/contenus/pacs" in sent[0].body
        assert reminders.send(session, NOW + timedelta(days=1), 3, services, "https://example.test") == 0
        assert reminders.send(session, NOW + timedelta(days=31), 3, services, "https://example.test") == 0
        session.rollback()


def test_a_fiche_past_its_review_date_is_reminded(app):
    with app.app_context():
        session = db.session()
        later = NOW + timedelta(days=800)  # every seed fiche is then more than 12 months old
        services = app.config["SETTINGS"]["services"]
        sent = reminders.send(session, later, 1000, services, "https://example.test")
        assert sent == len(reminders.editions.rows(session, later.date()))
        subjects = [message.subject for message in session.query(OutboxMessage)]
        assert "Fiche à revoir : Conclure un Pacs" in subjects
        assert reminders.send(session, later + timedelta(days=2), 1000, services, "https://example.test") == 0
        session.rollback()


def test_the_threshold_comes_from_the_settings_with_a_default():
    assert reminders.threshold({}) == 5
    assert reminders.threshold({"editorial": {"confusion_reports_threshold": 9}}) == 9


def test_an_archived_fiche_is_not_reminded(app):
    from guichet.staff.models import StaffMember, StaffRole
    with app.app_context():
        session = db.session()
        admin = StaffMember(email="archives@admiville.test", given_name="Camille", family_name="Martin",
                            failed_attempts=0, roles=[StaffRole(role="admin", service=None)])
        session.add(admin)
        session.add_all([report("/fiches/pacs") for _ in range(3)])
        session.flush()
        reminders.editions.sync(session)
        reminders.editions.archive(session, reminders.editions.find(session, "pacs"), admin, "", "Plus à jour.")
        services = app.config["SETTINGS"]["services"]
        reminders.send(session, NOW + timedelta(days=800), 3, services, "https://example.test")
        subjects = [message.subject for message in session.query(OutboxMessage)]
        assert "Fiche à revoir : Conclure un Pacs" not in subjects
        assert not any(subject.startswith("Fiche difficile") and "Pacs" in subject for subject in subjects)
        assert any(subject.startswith("Fiche à revoir") for subject in subjects), "the others still are"
        session.rollback()
