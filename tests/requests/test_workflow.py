"""The state machine, transition by transition: every (status, action) pair, what it records, whom it tells."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.demarches.catalogue import catalogue
from guichet.requests import workflow
from guichet.requests.deadlines import add_months
from tests.requests.helpers import load, mails_to, make_request

# What the agent may do in each status, written out by hand (not derived from the table under test).
AGENT_ALLOWED = {
    "recue": {"instruire", "demander_pieces", "classer"},
    "en_instruction": {"demander_pieces", "accepter", "refuser", "classer"},
    "incomplete": {"completer", "accepter", "refuser", "classer"},
    "acceptee": set(),
    "refusee": set(),
    "classee_sans_suite": set(),
    "acceptation_implicite": set(),
    "rejet_implicite": {"accepter", "refuser"},
}
TARGETS = {"instruire": "en_instruction", "demander_pieces": "incomplete", "completer": "en_instruction",
           "accepter": "acceptee", "refuser": "refusee", "classer": "classee_sans_suite",
           "acceptation_implicite": "acceptation_implicite", "rejet_implicite": "rejet_implicite"}
PAIRS = [(current, action) for current in AGENT_ALLOWED for action in TARGETS]


def test_the_table_has_exactly_these_statuses_and_actions():
    assert set(workflow.STATUSES) == set(AGENT_ALLOWED)
    assert set(workflow.ACTIONS) == set(TARGETS)
    assert {key: action.target for key, action in workflow.ACTIONS.items()} == TARGETS


@pytest.mark.parametrize("current, action", PAIRS)
def test_every_status_and_agent_action(current, action):
    allowed = action in AGENT_ALLOWED[current]
    if allowed:
        assert workflow.check(current, action, "Une note.", "acceptance", "agent").target == TARGETS[action]
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.check(current, action, "Une note.", "acceptance", "agent")


@pytest.mark.parametrize("current", list(AGENT_ALLOWED))
@pytest.mark.parametrize("regime, action", [("acceptance", "acceptation_implicite"), ("rejection", "rejet_implicite")])
def test_implicit_decisions_only_by_the_clock_on_open_requests_of_their_regime(current, regime, action):
    other = "rejet_implicite" if action == "acceptation_implicite" else "acceptation_implicite"
    if current in ("recue", "en_instruction", "incomplete"):
        assert workflow.check(current, action, None, regime, "system").target == action
    else:
        with pytest.raises(workflow.TransitionRefused):
            workflow.check(current, action, None, regime, "system")
    for refused_regime, refused_by in ((regime, "agent"), ("none", "system")):
        with pytest.raises(workflow.TransitionRefused):
            workflow.check(current, action, None, refused_regime, refused_by)
    with pytest.raises(workflow.TransitionRefused):
        workflow.check(current, other, None, regime, "system")


@pytest.mark.parametrize("action, message", [
    ("accepter", "Écrivez la décision : elle est montrée au demandeur."),
    ("refuser", "Écrivez les raisons du refus : la loi les rend obligatoires."),
    ("classer", "Écrivez pourquoi la demande est classée sans suite."),
])
@pytest.mark.parametrize("note", [None, "", "   \n "])
def test_decisions_need_a_note(app, action, message, note):
    with app.test_request_context(), pytest.raises(workflow.TransitionRefused) as refused:
        workflow.check("en_instruction", action, note, "acceptance", "agent")
    assert str(refused.value) == message


def test_refusals_are_worded_for_the_agent(app):
    with app.test_request_context():
        with pytest.raises(workflow.TransitionRefused) as refused:
            workflow.check("acceptee", "instruire", None, "acceptance", "agent")
        assert str(refused.value) == "« Commencer l'instruction » n'est pas possible pour une demande « Acceptée »."
        with pytest.raises(workflow.TransitionRefused, match="Cette action n'existe pas."):
            workflow.check("recue", "effacer", None, "acceptance", "agent")
        with pytest.raises(workflow.TransitionRefused, match="trop long"):
            workflow.check("recue", "instruire", "x" * (workflow.NOTE_MAX + 1), "acceptance", "agent")


def test_a_transition_records_who_when_note_audit_and_tells_the_person(app, make_staff):
    agent = make_staff(("agent", "etat-civil"))
    reference = make_request(app, email="transition@example.test")
    with app.test_request_context():
        session = db.session()
        row = load(session, reference)
        demarche = catalogue().get(row.demarche)
        workflow.apply(session, row, demarche, "instruire", session.merge(agent), "Nous regardons votre demande.")
        session.commit()
        row = load(session, reference)
        assert row.status == "en_instruction"
        last = row.history[-1]
        assert (last.status, last.note, last.actor_id) == ("en_instruction", "Nous regardons votre demande.", agent.id)
        assert row.updated_at is not None and row.decision_due is not None
        entry = session.scalar(select(AuditEntry).where(AuditEntry.target_id == reference))
        assert entry.action == "request.status" and entry.actor_id == agent.id
        assert entry.details == {"action": "instruire", "from": "recue", "to": "en_instruction"}
    mails = mails_to(app, "transition@example.test")
    assert len(mails) == 1
    assert mails[0].subject == f"Votre demande {reference} : En cours de traitement"
    assert "Le service étudie votre demande." in mails[0].body
    assert "Nous regardons votre demande." in mails[0].body
    assert "Sans réponse du service, votre demande sera acceptée le" in mails[0].body


def test_a_refused_transition_changes_nothing(app, make_staff):
    agent = make_staff(("agent", "etat-civil"))
    reference = make_request(app, status="acceptee", email="refused@example.test")
    with app.test_request_context():
        session = db.session()
        row = load(session, reference)
        with pytest.raises(workflow.TransitionRefused):
            workflow.apply(session, row, catalogue().get(row.demarche), "refuser", session.merge(agent), "Non.")
        session.rollback()
        row = load(session, reference)
        assert row.status == "acceptee" and len(row.history) == 1 and row.updated_at is None
        assert session.scalar(select(AuditEntry).where(AuditEntry.target_id == reference)) is None
    assert mails_to(app, "refused@example.test") == []


def test_a_decision_clears_the_legal_date(app):
    reference = make_request(app, status="en_instruction")
    with app.test_request_context():
        session = db.session()
        row = load(session, reference)
        assert row.decision_due is not None
        workflow.apply(session, row, catalogue().get(row.demarche), "accepter", None, "Votre acte est envoyé.")
        session.commit()
        assert load(session, reference).decision_due is None


@pytest.mark.parametrize("answer, emails", [("oui", 1), ("non", 0), (None, 1)])
def test_the_prevenez_moi_answer_is_honoured(app, answer, emails):
    address = f"prevenir-{answer}@example.test"
    reference = make_request(app, "signaler-probleme-voie-publique", status="en_instruction", email=address,
                             answers={} if answer is None else {"etre_informe": answer})
    with app.test_request_context():
        session = db.session()
        row = load(session, reference)
        workflow.apply(session, row, catalogue().get(row.demarche), "accepter", None, "Le trou est rebouché.")
        session.commit()
        assert load(session, reference).status == "acceptee"
    assert len(mails_to(app, address)) == emails


def test_apply_implicit_decisions_is_idempotent(app):
    long_ago = datetime.now(timezone.utc) - timedelta(days=120)
    accepted = make_request(app, "demande-acte-etat-civil", received=long_ago, email="implicite-a@example.test")
    rejected = make_request(app, "occupation-domaine-public", status="en_instruction", received=long_ago,
                            email="implicite-r@example.test")
    recent = make_request(app, "demande-acte-etat-civil")
    report = make_request(app, "signaler-probleme-voie-publique", received=long_ago)
    decided = make_request(app, "demande-acte-etat-civil", status="refusee", received=long_ago)
    with app.app_context():  # as the worker runs it: no web request
        session = db.session()
        first = workflow.apply_implicit_decisions(session, date.today())
        session.commit()
        assert {accepted, rejected} <= set(first)
        assert not {recent, report, decided} & set(first)
        assert workflow.apply_implicit_decisions(session, date.today()) == []
        session.commit()
        row = load(session, accepted)
        assert row.status == "acceptation_implicite" and row.decision_due is None
        assert row.history[-1].actor_id is None and row.history[-1].status == "acceptation_implicite"
        assert load(session, rejected).status == "rejet_implicite"
        assert load(session, recent).status == "recue" and load(session, report).status == "recue"
        assert load(session, decided).status == "refusee"
    assert "Acceptée sans réponse du service" in mails_to(app, "implicite-a@example.test")[0].subject
    assert "les raisons de ce refus" in mails_to(app, "implicite-r@example.test")[0].body


def test_the_implicit_date_is_the_day_itself(app):
    received = datetime(2026, 1, 10, 10, tzinfo=timezone.utc)
    reference = make_request(app, "demande-acte-etat-civil", received=received)
    due = add_months(date(2026, 1, 10), 2)
    with app.app_context():  # as the worker runs it: no web request
        session = db.session()
        assert reference not in workflow.apply_implicit_decisions(session, due - timedelta(days=1))
        assert reference in workflow.apply_implicit_decisions(session, due)
        session.commit()
