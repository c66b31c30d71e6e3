"""The register of processing (GDPR art. 30) lists appointments and call-backs, with the durations the worker
really applies: a stated duration that nothing enforces would be a false statement to the DPO."""
from datetime import timedelta

from sqlalchemy import delete, select

from guichet import db
from guichet.appointments import booking
from guichet.callbacks import service as callbacks
from guichet.callbacks.models import CallbackRequest
from guichet.db import utcnow
from guichet.privacy import register


def entries_by_name(app) -> dict[str, register.Entry]:
    with app.test_request_context("/"):
        return {entry.name: entry for entry in register.entries([], "Ville d'Admiville", 12)}


def test_appointments_and_call_backs_have_their_entry(app):
    found = entries_by_name(app)
    appointments, calls = found["Rendez-vous"], found["Demandes de rappel"]
    for entry in (appointments, calls):
        assert entry.controller == "Ville d'Admiville" and "6.1.e" in entry.legal_basis
        assert "Nom, téléphone, adresse e-mail si la personne la donne" in entry.data
        assert "agents et superviseurs du service concerné" in entry.recipients and entry.transfers == "Aucun."
    assert f"effacé {booking.KEPT_AFTER_DAYS} jours après son jour" in appointments.retention
    assert appointments.retention_months == 3 and "venue ou non ; date de l'annulation" in appointments.data
    assert "même s'il a été annulé" in appointments.retention
    assert f"effacée {callbacks.KEPT_AFTER_DAYS} jours après le dernier appel" in calls.retention
    assert f"effacée {callbacks.KEPT_AT_MOST_DAYS} jours après avoir été faite" in calls.retention
    assert calls.retention_months == 3 and "notes des agents" in calls.data


def test_the_csv_has_one_row_each(app):
    with app.test_request_context("/"):
        text = register.as_csv(register.entries([], "Ville d'Admiville", 12))
    names = [line.split(";")[0] for line in text.lstrip("\ufeff").splitlines()[1:]]
    assert names.count("Rendez-vous") == 1 and names.count("Demandes de rappel") == 1


def test_the_call_back_durations_the_register_states_are_enforced(app):
    now = utcnow()
    with app.app_context():
        session = db.session()
        session.execute(delete(CallbackRequest))

        def ask(created_days: int, handled_days: int | None) -> int:
            row = CallbackRequest(service="etat-civil", name="Paul Martin", phone="0612345678", subject="Carte",
                                  created_at=now - timedelta(days=created_days),
                                  handled_at=None if handled_days is None else now - timedelta(days=handled_days))
            session.add(row)
            session.flush()
            return row.id

        called_long_ago = ask(200, callbacks.KEPT_AFTER_DAYS + 1)
        called_lately = ask(200, callbacks.KEPT_AFTER_DAYS - 1)
        never_called_old = ask(callbacks.KEPT_AT_MOST_DAYS + 1, None)
        never_called = ask(callbacks.KEPT_AT_MOST_DAYS - 1, None)
        assert callbacks.purge_old(session, now) == 2
        left = set(session.scalars(select(CallbackRequest.id)))
        session.rollback()
    assert left == {called_lately, never_called}
    assert called_long_ago not in left and never_called_old not in left
