"""Alerts to staff, sent by the worker through the outbox.

- New requests: per service, each agent or supervisor chooses an email at once, a daily digest (the
  requests received the day before), or nothing.
- Implicit decisions coming: every day, the open requests whose implicit decision falls within 7 days go to
  their owner; those without an owner go to the service's agents and supervisors who keep this digest.

Emails hold only the reference, the démarche and dates, with links to /gestion: no personal data leaves in
an email. Each alert is recorded in `alerts_sent` (unique kind + key) in the same transaction as its emails,
so a second run or a second worker never sends the same alert or the same day's digest twice.
"""
from collections import defaultdict
from dataclasses import dataclass
from functools import wraps
from datetime import date, datetime, time, timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guichet.alerts.models import AlertPreference, AlertSent
from guichet.demarches.catalogue import catalogue
from guichet.mail import outbox
from guichet.mail.links import site_url
from guichet.requests.mails import PARIS, local_day
from guichet.requests.models import DemarcheRequest
from guichet.requests.workflow import OPEN
from guichet.staff.models import StaffMember, StaffRole
from guichet.staff.roles import REQUEST_ROLES

NEW_REQUEST_CHOICES = ("immediate", "daily", "none")
DEFAULT_NEW_REQUESTS = "daily"
DEFAULT_DEADLINES = True
DEADLINE_WINDOW_DAYS = 7
IMMEDIATE_LOOKBACK = timedelta(days=2)  # older requests are in a digest already; never alert on history
IMMEDIATE, DAILY_NEW, DAILY_DEADLINES = "nouvelle", "resume-nouvelles", "resume-echeances"


@dataclass(frozen=True)
class Choice:
    new_requests: str
    deadlines: bool


DEFAULT_CHOICE = Choice(DEFAULT_NEW_REQUESTS, DEFAULT_DEADLINES)


def preferences(db: Session, member: StaffMember) -> dict[str, Choice]:
    """The member's choice for each service where they handle requests (defaults where nothing is saved)."""
    services = sorted({grant.service for grant in member.roles if grant.role in REQUEST_ROLES and grant.service})
    saved = {row.service: Choice(row.new_requests, row.deadlines)
             for row in db.scalars(select(AlertPreference).where(AlertPreference.staff_id == member.id))}
    return {service: saved.get(service, DEFAULT_CHOICE) for service in services}


def save_preferences(db: Session, member: StaffMember, choices: dict[str, Choice]) -> None:
    """Keep the choices for the member's own services only (the caller commits)."""
    allowed = preferences(db, member)
    for service, choice in choices.items():
        if service not in allowed or choice.new_requests not in NEW_REQUEST_CHOICES:
            raise ValueError(service)
        row = db.get(AlertPreference, (member.id, service))
        if row is None:
            row = AlertPreference(staff_id=member.id, service=service)
            db.add(row)
        row.new_requests, row.deadlines = choice.new_requests, choice.deadlines


def _staff_of(db: Session) -> dict[str, list[tuple[StaffMember, Choice]]]:
    """Active agents and supervisors of each service, with their choice there."""
    grants = db.execute(select(StaffRole.service, StaffMember).join(StaffMember, StaffRole.staff_id == StaffMember.id)
                        .where(StaffRole.role.in_(REQUEST_ROLES), StaffMember.disabled_at.is_(None))
                        .order_by(StaffMember.id)).all()
    saved = {(row.staff_id, row.service): Choice(row.new_requests, row.deadlines)
             for row in db.scalars(select(AlertPreference))}
    by_service: dict[str, list[tuple[StaffMember, Choice]]] = defaultdict(list)
    for service, member in grants:
        if all(member.id != known.id for known, _choice in by_service[service]):
            by_service[service].append((member, saved.get((member.id, service), DEFAULT_CHOICE)))
    return by_service


def _mark(db: Session, kind: str, key: str) -> bool:
    """Record an alert as sent (flushed at once: a worker racing on the same alert fails here, see `once`);
    False when it already was."""
    if db.scalar(select(AlertSent.id).where(AlertSent.kind == kind, AlertSent.key == key)) is not None:
        return False
    db.add(AlertSent(kind=kind, key=key))
    db.flush()
    return True


def once(send: Callable[[Session, datetime], int]) -> Callable[[Session, datetime], int]:
    """Commit the marks with their emails; when another worker marked the same alert first, nothing of this run
    is kept and it reports 0."""
    @wraps(send)
    def run(db: Session, now: datetime) -> int:
        try:
            queued = send(db, now)
            db.commit()
            return queued
        except IntegrityError:
            db.rollback()
            return 0
    return run


def _line(row: DemarcheRequest, extra: str = "") -> str:
    """One request in an email: reference, démarche, date; never a name or an address."""
    demarche = catalogue().get(row.demarche)
    title = demarche.title if demarche else row.demarche
    return f"- {row.reference} – {title}{extra}\n  {site_url()}/gestion/demandes/{row.reference}"


def _render(template: str, **context) -> str:
    return current_app.jinja_env.get_template(template).render(**context)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=PARIS)
    return start, start + timedelta(days=1)


@once
def send_immediate(db: Session, now: datetime) -> int:
    """An email at once, per new request, to the staff of its service who chose it. Returns the emails queued."""
    staff = _staff_of(db)
    rows = db.scalars(select(DemarcheRequest).where(DemarcheRequest.received_at >= now - IMMEDIATE_LOOKBACK)
                      .order_by(DemarcheRequest.id))
    queued = 0
    for row in rows:
        if not _mark(db, IMMEDIATE, row.reference):
            continue
        for member, choice in staff.get(row.service, []):
            if choice.new_requests == "immediate":
                outbox.enqueue(db, member.email, f"Nouvelle demande {row.reference}",
                               _render("gestion/mail/new_request.txt", line=_line(row),
                                       received=local_day(row.received_at), preferences=f"{site_url()}/gestion/mes-alertes"))
                queued += 1
    return queued


@once
def send_daily_new(db: Session, now: datetime) -> int:
    """Once a day: the requests received the day before, to the staff who chose the digest."""
    today = local_day(now)
    if not _mark(db, DAILY_NEW, today.isoformat()):
        return 0
    start, end = _day_bounds(today - timedelta(days=1))
    rows = db.scalars(select(DemarcheRequest).where(DemarcheRequest.received_at >= start,
                                                    DemarcheRequest.received_at < end)
                      .order_by(DemarcheRequest.service, DemarcheRequest.id)).all()
    wanted: dict[int, tuple[StaffMember, list[DemarcheRequest]]] = {}
    for service, members in _staff_of(db).items():
        of_service = [row for row in rows if row.service == service]
        for member, choice in members:
            if of_service and choice.new_requests == "daily":
                wanted.setdefault(member.id, (member, []))[1].extend(of_service)
    for member, listed in wanted.values():
        outbox.enqueue(db, member.email, f"Nouvelles demandes du {(today - timedelta(days=1)).strftime('%d/%m/%Y')}",
                       _render("gestion/mail/new_requests_digest.txt", lines=[_line(row) for row in listed],
                               day=today - timedelta(days=1), preferences=f"{site_url()}/gestion/mes-alertes"))
    return len(wanted)


def deadline_recipients(rows: list[DemarcheRequest], staff: dict[str, list[tuple[StaffMember, Choice]]],
                        owners: dict[int, StaffMember]) -> dict[int, tuple[StaffMember, list[DemarcheRequest]]]:
    """Who hears of each request: its owner, else the service's staff who keep the digest."""
    wanted: dict[int, tuple[StaffMember, list[DemarcheRequest]]] = {}
    for row in rows:
        owner = owners.get(row.owner_id)
        members = [owner] if owner is not None else [member for member, choice in staff.get(row.service, [])
                                                     if choice.deadlines]
        for member in members:
            wanted.setdefault(member.id, (member, []))[1].append(row)
    return wanted


@once
def send_daily_deadlines(db: Session, now: datetime) -> int:
    """Once a day: open requests whose implicit decision falls within 7 days, with no decision yet."""
    today = local_day(now)
    if not _mark(db, DAILY_DEADLINES, today.isoformat()):
        return 0
    rows = db.scalars(select(DemarcheRequest).where(
        DemarcheRequest.status.in_(OPEN), DemarcheRequest.decision_due.is_not(None),
        DemarcheRequest.decision_due <= today + timedelta(days=DEADLINE_WINDOW_DAYS))
        .order_by(DemarcheRequest.decision_due, DemarcheRequest.id)).all()
    owner_ids = {row.owner_id for row in rows if row.owner_id}
    owners = {member.id: member for member in db.scalars(select(StaffMember).where(
        StaffMember.id.in_(owner_ids), StaffMember.disabled_at.is_(None)))} if owner_ids else {}
    wanted = deadline_recipients(rows, _staff_of(db), owners)
    for member, listed in wanted.values():
        lines = [_line(row, f" – décision implicite le {row.decision_due.strftime('%d/%m/%Y')}") for row in listed]
        outbox.enqueue(db, member.email, f"Décisions implicites dans les {DEADLINE_WINDOW_DAYS} jours : "
                                         f"{len(listed)} demande{'s' if len(listed) > 1 else ''}",
                       _render("gestion/mail/deadlines_digest.txt", lines=lines, today=today,
                               days=DEADLINE_WINDOW_DAYS, preferences=f"{site_url()}/gestion/mes-alertes"))
    return len(wanted)
