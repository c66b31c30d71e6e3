"""The life of a request: one explicit state machine, statuses and transitions written as data.

recue → en_instruction → incomplete (pièces manquantes) → en_instruction → acceptee | refusee |
classee_sans_suite; acceptation_implicite / rejet_implicite happen by themselves when the legal date
passes without a decision (`apply_implicit_decisions`, run by the worker).

Every transition goes through `apply`: it is checked against the table (a refused one raises
`TransitionRefused` with a French message and changes nothing), records who, when and a note, keeps
`decision_due` and `updated_at` up to date, writes an audit entry and tells the person.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from guichet.audit import log as audit
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.demarches.definitions import Demarche
from guichet.demarches.schema import NO_CLOCK
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests.deadlines import (
    ClockEvent,
    CountingRules,
    MissingPeriod,
    clock,
    days_left,
    decision_due,
)
from guichet.requests import letters
from guichet.requests.mails import local_day, render_mail
from guichet.requests.models import DemarcheRequest, MissingDocuments, RequestStatus
from guichet.requests.receipt import counting_rules

# A démarche may ask "do you want an email when…?" (a yesno question with this id): "non" means no
# status email; the tracking page still shows everything, and a request for documents is always sent.
NOTIFY_QUESTION = "etre_informe"


@dataclass(frozen=True)
class Status:
    key: str
    agent_label: str
    citizen_label: str
    citizen_text: str
    final: bool = False


@dataclass(frozen=True)
class Action:
    """A transition. `by`: who may start it, "agent" (a button in the back office) and/or "system" (the
    person's upload, the clock). `note`: "none", "optional" or "required". `regime`: the implicit regime it needs, if any.
    `own_form`: started from its own page (the missing-documents form), not a plain button."""

    key: str
    sources: tuple[str, ...]
    target: str
    label: str
    by: tuple[str, ...] = ("agent",)
    note_label: str | None = _l("Message pour le demandeur (facultatif)")
    note_missing: str | None = None
    regime: str | None = None
    own_form: bool = False
    notify: bool = True


STATUSES = {status.key: status for status in (
    Status("recue", _l("Reçue"), _l("Reçue"),
           _l("Le service a bien reçu votre demande. Il va bientôt l'étudier.")),
    Status("en_instruction", _l("En instruction"), _l("En cours de traitement"),
           _l("Le service étudie votre demande.")),
    Status("incomplete", _l("Incomplète : pièces demandées"), _l("Documents à envoyer"),
           _l("Le service a besoin de documents en plus pour étudier votre demande.")),
    Status("acceptee", _l("Acceptée"), _l("Acceptée"), _l("Le service a accepté votre demande."), final=True),
    Status("refusee", _l("Refusée"), _l("Refusée"), _l("Le service a refusé votre demande."), final=True),
    Status("classee_sans_suite", _l("Classée sans suite"), _l("Fermée"),
           _l("Le service a fermé votre demande sans prendre de décision."), final=True),
    Status("acceptation_implicite", _l("Acceptation implicite"), _l("Acceptée sans réponse du service"),
           _l("Le service n'a pas répondu avant la date prévue : votre demande est acceptée. "
              "Vous pouvez demander une attestation au service."), final=True),
    Status("rejet_implicite", _l("Rejet implicite"), _l("Refusée sans réponse du service"),
           _l("Le service n'a pas répondu avant la date prévue : votre demande est refusée. "
              "Vous pouvez demander au service les raisons de ce refus. "
              "Vous pouvez aussi contester ce refus, dans les 2 mois."), final=True),
)}

OPEN = ("recue", "en_instruction", "incomplete")
FINAL_STATUSES = frozenset(key for key, status in STATUSES.items() if status.final)
WAITING_STATUSES = frozenset({"incomplete"})  # the service waits for the person
AGENT_LABELS = {key: status.agent_label for key, status in STATUSES.items()}
ACTIONS = {action.key: action for action in (
    Action("instruire", ("recue",), "en_instruction", _l("Commencer l'instruction")),
    Action("demander_pieces", ("recue", "en_instruction"), "incomplete", _l("Demander des pièces manquantes"),
           own_form=True, notify=False),
    Action("completer", ("incomplete",), "en_instruction", _l("Pièces reçues par un autre moyen"),
           by=("agent", "system"),
           note_label=_l("Message pour le demandeur (facultatif) : par exemple, « Reçues au guichet »")),
    Action("accepter", ("en_instruction", "incomplete", "rejet_implicite"), "acceptee", _l("Accepter"),
           note_label=_l("Décision : ce que le service accepte (obligatoire)"),
           note_missing=_l("Écrivez la décision : elle est montrée au demandeur.")),
    Action("refuser", ("en_instruction", "incomplete", "rejet_implicite"), "refusee", _l("Refuser"),
           note_label=_l("Raisons du refus, en droit et en fait (obligatoire)"),
           note_missing=_l("Écrivez les raisons du refus : la loi les rend obligatoires.")),
    Action("classer", OPEN, "classee_sans_suite", _l("Classer sans suite"),
           note_label=_l("Pourquoi la demande est classée sans suite (obligatoire)"),
           note_missing=_l("Écrivez pourquoi la demande est classée sans suite.")),
    Action("acceptation_implicite", OPEN, "acceptation_implicite", _l("Acceptation implicite"),
           by=("system",), note_label=None, regime="acceptance"),
    Action("rejet_implicite", OPEN, "rejet_implicite", _l("Rejet implicite"),
           by=("system",), note_label=None, regime="rejection"),
)}

NOTE_MAX = 4000


class TransitionRefused(ValueError):
    """A transition the table does not allow, or a missing note, in French for the agent."""


def status(key: str) -> Status:
    return STATUSES[key]


def is_final(key: str) -> bool:
    return STATUSES[key].final


def actions_for(current: str, legal_implicit: str | None = None, by: str = "agent") -> list[Action]:
    """The actions possible from a status, in table order (what the agent's buttons show)."""
    return [action for action in ACTIONS.values() if current in action.sources and by in action.by
            and (action.regime is None or action.regime == legal_implicit)]


def check(current: str, action_key: str, note: str | None, legal_implicit: str | None, by: str) -> Action:
    """The action, or TransitionRefused saying why not; nothing is changed here."""
    action = ACTIONS.get(action_key)
    if action is None:
        raise TransitionRefused(str(_l("Cette action n'existe pas.")))
    if action not in actions_for(current, legal_implicit, by):
        raise TransitionRefused(str(_l("« %(action)s » n'est pas possible pour une demande « %(status)s ».",
                                       action=action.label, status=STATUSES[current].agent_label)))
    if action.note_missing is not None and not (note or "").strip():
        raise TransitionRefused(str(action.note_missing))
    if len(note or "") > NOTE_MAX:
        raise TransitionRefused(str(_l("Le message est trop long : %(max)d caractères au maximum.", max=NOTE_MAX)))
    return action


def missing_periods(row: DemarcheRequest) -> list[MissingPeriod]:
    return [MissingPeriod(local_day(item.requested_at), item.deadline,
                          local_day(item.completed_at) if item.completed_at else None)
            for item in row.missing_documents]


def compute_due(row: DemarcheRequest, demarche: Demarche) -> date | None:
    """The implicit decision date of an open request with the clock as it stands; None once decided."""
    if is_final(row.status):
        return None
    return decision_due(local_day(row.received_at), demarche.legal, missing_periods(row), counting_rules())


@dataclass(frozen=True)
class LegalFacts:
    """What the back office's legal panel shows: the clock, explained, and what is left."""

    received: date
    implicit: str
    events: list[ClockEvent]
    due: date | None
    days_left: int | None
    rules: CountingRules
    documents_deadline: date | None  # of the open request for documents
    documents_overdue: bool          # its deadline has passed: the agent decides
    decided: bool


def legal_facts(row: DemarcheRequest, demarche: Demarche, today: date) -> LegalFacts:
    rules = counting_rules()
    events = clock(local_day(row.received_at), demarche.legal, missing_periods(row), rules)
    due = row.decision_due if not is_final(row.status) else None
    awaited = open_documents_request(row)
    return LegalFacts(local_day(row.received_at), demarche.legal.implicit, events, due,
                      days_left(due, today), rules, awaited.deadline if awaited else None,
                      bool(awaited and awaited.deadline < today), is_final(row.status))


def apply(db: Session, row: DemarcheRequest, demarche: Demarche, action_key: str, actor=None,
          note: str | None = None, by: str = "agent") -> RequestStatus:
    """Move the request (the caller commits); `actor` is the staff member, None for the person or the clock."""
    action = check(row.status, action_key, note, demarche.legal.implicit, by)
    previous, now = row.status, utcnow()
    note = (note or "").strip() or None
    row.status = action.target
    if previous == "incomplete":
        _end_missing_documents(row, completed=action.key == "completer", now=now)
    entry = RequestStatus(status=action.target, note=note, at=now, actor_id=getattr(actor, "id", None))
    row.history.append(entry)
    row.updated_at = now
    db.flush()
    row.decision_due = compute_due(row, demarche)
    audit.record(db, "request.status", actor if actor is not None else "system", "request", row.reference,
                 {"action": action.key, "from": previous, "to": action.target})
    letter = letters.issue_decision(db, row, demarche, entry, actor) if letters.has_letter(entry.status) else None
    if action.notify:
        notify_person(db, row, demarche, entry, letter)
    return entry


def open_documents_request(row: DemarcheRequest) -> MissingDocuments | None:
    """The request for documents the person still has to answer, if any."""
    for missing in reversed(row.missing_documents):
        if missing.completed_at is None and not missing.closed:
            return missing
    return None


def _end_missing_documents(row: DemarcheRequest, completed: bool, now) -> None:
    """Leaving `incomplete`: the open request for documents is complete (the clock restarts or resumes
    today), or closed by a decision taken without them."""
    missing = open_documents_request(row)
    if missing is not None and completed:
        missing.completed_at = now
    elif missing is not None:
        missing.closed = True


def wants_status_emails(row: DemarcheRequest) -> bool:
    return bool(row.email) and (row.answers or {}).get(NOTIFY_QUESTION) != "non"


def letter_url(row: DemarcheRequest, letter) -> str:
    """Where the person reads a letter: behind the tracking page's access (reference and code)."""
    return f"{site_url()}/suivi/{row.reference}/courriers/{letter.id}"


def notify_person(db: Session, row: DemarcheRequest, demarche: Demarche, entry: RequestStatus,
                  letter=None) -> None:
    """One plain-French email for a new status (always French: the démarches are), unless declined;
    with the link to the decision letter when there is one."""
    if not wants_status_emails(row):
        return
    with force_locale("fr"):
        current = STATUSES[entry.status]
        body = render_mail("mail/status.txt", demarche=demarche, request_row=row, status=current,
                           note=entry.note, due=row.decision_due, tracking_url=f"{site_url()}/suivi",
                           letter_url=letter_url(row, letter) if letter else None)
        subject = f"Votre demande {row.reference} : {current.citizen_label}"
    outbox.enqueue(db, row.email, subject, body)


def apply_implicit_decisions(db: Session, today: date) -> list[str]:
    """Give every open request whose legal date has come its implicit decision; returns their references.

    Idempotent: a decided request has no `decision_due` and a final status, so it is never picked twice;
    on PostgreSQL, rows another worker is deciding are skipped. The caller commits.
    """
    rows = db.scalars(select(DemarcheRequest)
                      .where(DemarcheRequest.decision_due.is_not(None), DemarcheRequest.decision_due <= today,
                             DemarcheRequest.status.in_(OPEN))
                      .order_by(DemarcheRequest.decision_due, DemarcheRequest.id)
                      .with_for_update(skip_locked=True))
    decided = []
    for row in rows:
        demarche = catalogue().get(row.demarche)
        if demarche is None or demarche.legal.implicit in NO_CLOCK:
            continue
        row.decision_due = compute_due(row, demarche)  # the clock as it stands, never a stale date
        if row.decision_due is None or row.decision_due > today:
            continue
        action = "acceptation_implicite" if demarche.legal.implicit == "acceptance" else "rejet_implicite"
        apply(db, row, demarche, action, by="system")
        decided.append(row.reference)
    return decided
