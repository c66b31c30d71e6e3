"""The audit trail is a chain: deleting, editing or inserting an entry is detected."""
import pytest
from sqlalchemy import delete, select, update

from guichet import db
from guichet.audit import log
from guichet.audit.models import AuditEntry


@pytest.fixture
def sealed(app):
    with app.app_context():
        session = db.session()
        session.execute(delete(AuditEntry))
        session.commit()
        for number in range(5):
            log.record(session, "consultation", "agent@admiville.test", "demande", number, {"n": number})
        session.commit()
        assert log.seal(session) == 5
        yield session


def test_an_intact_chain_verifies(sealed):
    assert log.verify(sealed) == []
    positions = [entry.position for entry in sealed.scalars(select(AuditEntry).order_by(AuditEntry.position))]
    assert positions == [1, 2, 3, 4, 5]


def test_a_deleted_entry_is_detected(sealed):
    sealed.execute(delete(AuditEntry).where(AuditEntry.position == 3))
    sealed.commit()
    messages = [problem.message for problem in log.verify(sealed)]
    assert "entries 3 to 3 are missing" in messages


def test_an_edited_entry_is_detected(sealed):
    sealed.execute(update(AuditEntry).where(AuditEntry.position == 2).values(actor="quelqu-un@autre.fr"))
    sealed.commit()
    sealed.expire_all()
    assert [(problem.position, problem.message) for problem in log.verify(sealed)] == [
        (2, "the entry was changed after it was sealed")]


def test_later_entries_continue_the_chain(sealed):
    log.record(sealed, "export", "agent@admiville.test", "demandes", None, {"lignes": 3})
    sealed.commit()
    assert log.seal(sealed) == 1
    assert log.verify(sealed) == []


def test_verify_command_reports_damage(app, sealed):
    sealed.execute(delete(AuditEntry).where(AuditEntry.position == 1))
    sealed.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and "damaged" in result.output
