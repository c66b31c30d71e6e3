"""Alerts to staff: new requests at once or in a daily digest, the implicit-decisions digest; each sent once."""
import itertools
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from guichet import db
from guichet.alerts import digests
from guichet.alerts.models import AlertPreference, AlertSent
from guichet.demarches.catalogue import catalogue
from guichet.mail.models import OutboxMessage
from guichet.worker import runner
from guichet.worker.jobs import JOBS
from tests.requests.helpers import make_request

ALERT_JOBS = tuple(job for job in JOBS if job.name in ("alertes-nouvelles", "resume-nouvelles", "resume-echeances"))
_days = itertools.count(1)


def a_day() -> datetime:
    """A morning of its own (the shared database keeps other tests' digests, one per day)."""
    return datetime(2031, 1, 1, 9, tzinfo=timezone.utc) + timedelta(days=7 * next(_days))


def prefer(app, member, service, new_requests, deadlines=True):
    with app.app_context():
        db.session().merge(AlertPreference(staff_id=member.id, service=service, new_requests=new_requests,
                                           deadlines=deadlines))
        db.session().commit()


def mails(app, member) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).where(OutboxMessage.recipient == member.email)
                                         .order_by(OutboxMessage.id)))


def run(app, function, now):
    with app.app_context():
        return function(db.session(), now)


@pytest.mark.parametrize("choice, immediate, daily", [
    ("immediate", 1, 0),
    ("daily", 0, 1),
    ("none", 0, 0),
])
def test_each_agent_hears_of_new_requests_as_chosen(app, make_staff, choice, immediate, daily):
    now = a_day()
    member = make_staff(("agent", "etat-civil"))
    prefer(app, member, "etat-civil", choice)
    reference = make_request(app, received=now - timedelta(hours=20), email="personne.privee@example.test")
    run(app, digests.send_immediate, now)
    run(app, digests.send_immediate, now + timedelta(minutes=1))
    assert len([mail for mail in mails(app, member) if mail.subject == f"Nouvelle demande {reference}"]) == immediate
    run(app, digests.send_daily_new, now)
    run(app, digests.send_daily_new, now + timedelta(hours=1))
    digest = [mail for mail in mails(app, member) if mail.subject.startswith("Nouvelles demandes du")]
    assert len(digest) == daily
    with app.app_context():
        title = catalogue().get("demande-acte-etat-civil").title
    for mail in mails(app, member):
        assert reference in mail.body and title in mail.body and f"/gestion/demandes/{reference}" in mail.body
        assert "Martin" not in mail.body and "personne.privee" not in mail.body


def test_an_agent_of_another_service_hears_nothing(app, make_staff):
    now = a_day()
    other = make_staff(("agent", "voirie"))
    prefer(app, other, "voirie", "immediate")
    make_request(app, received=now - timedelta(hours=20))
    run(app, digests.send_immediate, now)
    run(app, digests.send_daily_new, now)
    assert mails(app, other) == []


STAFF = {"owner": SimpleNamespace(id=1), "agent": SimpleNamespace(id=2), "quiet": SimpleNamespace(id=3),
         "superviseur": SimpleNamespace(id=4)}


@pytest.mark.parametrize("owner, expected", [
    ("owner", ["owner"]),            # an owned request goes to its owner only
    (None, ["agent", "superviseur"]),  # without an owner: the service's staff who keep the digest
])
def test_deadline_digest_recipients(owner, expected):
    row = SimpleNamespace(owner_id=STAFF[owner].id if owner else None, service="etat-civil")
    staff = {"etat-civil": [(STAFF["agent"], digests.Choice("daily", True)),
                            (STAFF["quiet"], digests.Choice("none", False)),
                            (STAFF["superviseur"], digests.Choice("immediate", True))],
             "voirie": [(SimpleNamespace(id=9), digests.Choice("daily", True))]}
    owners = {STAFF["owner"].id: STAFF["owner"]}
    wanted = digests.deadline_recipients([row], staff, owners)
    assert sorted(wanted) == sorted(STAFF[name].id for name in expected)


def test_the_deadline_digest_lists_requests_due_within_7_days_once_a_day(app, make_staff):
    now = a_day()
    owner = make_staff(("agent", "etat-civil"))
    colleague = make_staff(("superviseur", "etat-civil"))
    quiet = make_staff(("agent", "etat-civil"))
    prefer(app, quiet, "etat-civil", "none", deadlines=False)
    soon_owned = make_request(app, status="en_instruction", received=now - timedelta(days=58), owner_id=owner.id)
    soon_free = make_request(app, status="en_instruction", received=now - timedelta(days=57))
    later = make_request(app, status="en_instruction", received=now - timedelta(days=30))
    decided = make_request(app, status="acceptee", received=now - timedelta(days=58))
    run(app, digests.send_daily_deadlines, now)
    run(app, digests.send_daily_deadlines, now + timedelta(hours=3))
    [owner_mail] = mails(app, owner)
    assert soon_owned in owner_mail.body and soon_free in owner_mail.body
    [colleague_mail] = mails(app, colleague)
    assert soon_free in colleague_mail.body and soon_owned not in colleague_mail.body
    for mail in (owner_mail, colleague_mail):
        assert later not in mail.body and decided not in mail.body and "décision implicite le" in mail.body
    assert mails(app, quiet) == []
    run(app, digests.send_daily_deadlines, now + timedelta(days=1))
    assert len(mails(app, owner)) == 2


def test_the_worker_run_once_sends_each_alert_once_even_with_two_workers(app, make_staff):
    member = make_staff(("agent", "etat-civil"))
    prefer(app, member, "etat-civil", "immediate")
    reference = make_request(app, received=datetime.now(timezone.utc) - timedelta(minutes=5))
    with app.app_context():
        session = db.session()
        today = digests.local_day(runner.utcnow()).isoformat()
        session.execute(delete(AlertSent).where(AlertSent.key == today))
        session.commit()
        runner.reschedule_now(session, [job.name for job in ALERT_JOBS])
    ran = runner.run_due(app, "w1", ALERT_JOBS) + runner.run_due(app, "w2", ALERT_JOBS)
    assert sorted(ran) == sorted(job.name for job in ALERT_JOBS)
    with app.app_context():
        runner.reschedule_now(db.session(), [job.name for job in ALERT_JOBS])
    runner.run_due(app, "w2", ALERT_JOBS)
    assert [mail.subject for mail in mails(app, member)].count(f"Nouvelle demande {reference}") == 1
    with app.app_context():
        kinds = db.session().scalars(select(AlertSent.kind).where(AlertSent.key == today)).all()
    assert sorted(kinds) == ["resume-echeances", "resume-nouvelles"]


def test_preferences_only_for_the_members_own_services(app, make_staff):
    member = make_staff(("agent", "etat-civil"), ("superviseur", "education"), ("editeur", "voirie"))
    with app.app_context():
        session = db.session()
        member = session.merge(member)
        assert digests.preferences(session, member) == {"education": digests.DEFAULT_CHOICE,
                                                        "etat-civil": digests.DEFAULT_CHOICE}
        with pytest.raises(ValueError):
            digests.save_preferences(session, member, {"voirie": digests.Choice("daily", True)})
        with pytest.raises(ValueError):
            digests.save_preferences(session, member, {"education": digests.Choice("hourly", True)})
        session.rollback()
        digests.save_preferences(session, member, {"education": digests.Choice("immediate", False)})
        session.commit()
        assert digests.preferences(session, member)["education"] == digests.Choice("immediate", False)


def test_two_workers_racing_on_postgresql_send_one_digest(pg_app):
    """Both pass the "already sent?" check at the same moment: the unique (kind, key) lets one commit."""
    import threading

    from guichet.staff.models import StaffMember, StaffRole
    now = a_day()
    with pg_app.app_context():
        session = db.session()
        member = StaffMember(email=f"course-resume-{now.date()}@admiville.test", given_name="Camille",
                             family_name="Martin", failed_attempts=0,
                             roles=[StaffRole(role="agent", service="etat-civil")])
        session.add(member)
        session.commit()
        email = member.email
    make_request(pg_app, received=now - timedelta(hours=20))
    start = threading.Barrier(2)
    sent = []

    def work():
        with pg_app.app_context():
            session = db.session()
            start.wait()
            sent.append(digests.send_daily_new(session, now))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with pg_app.app_context():
        received = db.session().scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == email)).all()
    assert len(received) == 1, (received, sent)
    assert sorted(sent)[0] == 0, sent
