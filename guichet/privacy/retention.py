"""Retention enforced: what is past its duration goes, planned first (dry run) then applied.

- A request is kept `privacy.retention_months` (its démarche's definition) counted from its last
  status change: for a decided request that is the final decision (accepted, refused, closed, or an
  implicit decision once the workflow records it); for a request never decided it is the receipt, or
  the latest step since, so a request someone is still working on is never deleted. Past it, the
  request, its answers, history, messages and files (bytes too) are deleted.
- Requests whose démarche has no loaded definition are kept and listed: without a stated duration
  nothing may be guessed.
- The contact address of a difficulty report is erased `report_contact_months` after the report
  (settings file, `data_protection`); the report itself stays, anonymous.
- Appointments and call-backs (a name and a phone number) are erased by their own daily job
  (worker/jobs.py `purge_contacts`: appointments.booking.purge_past, callbacks.service.purge_old), with the
  durations the register states.
- Audit entries are never deleted (see the register): they name people by number only.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from guichet.audit import log as audit
from guichet.demarches.definitions import Catalogue
from guichet.feedback.models import Report
from guichet.people.models import Person, PersonLink
from guichet.privacy.deletion import delete_request
from guichet.requests.models import DemarcheRequest, RequestStatus

DEFAULT_REPORT_CONTACT_MONTHS = 12


@dataclass(frozen=True)
class ExpiredRequest:
    id: int
    reference: str
    demarche: str
    counted_from: datetime
    months: int


@dataclass
class Plan:
    requests: list[ExpiredRequest] = field(default_factory=list)
    report_contacts: list[int] = field(default_factory=list)  # ids of reports whose contact address goes
    undefined_demarches: dict[str, int] = field(default_factory=dict)  # kept: no definition, no duration


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier (the last day of the month when that day does not exist)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, _days_in_month(year, month + 1))
    return moment.replace(year=year, month=month + 1, day=day)


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def report_contact_months(settings: dict) -> int:
    return int((settings.get("data_protection") or {}).get("report_contact_months", DEFAULT_REPORT_CONTACT_MONTHS))


def plan(db: Session, catalogue: Catalogue, now: datetime, contact_months: int) -> Plan:
    """What is past its retention at `now`; changes nothing."""
    found = Plan()
    last_change = (select(RequestStatus.request_id, func.max(RequestStatus.at).label("at"))
                   .group_by(RequestStatus.request_id).subquery())
    counted_from = func.coalesce(last_change.c.at, DemarcheRequest.received_at)
    for slug, count in db.execute(select(DemarcheRequest.demarche, func.count()).group_by(DemarcheRequest.demarche)):
        demarche = catalogue.get(slug)
        if demarche is None:
            found.undefined_demarches[slug] = count
            continue
        months = demarche.privacy.retention_months
        rows = db.execute(select(DemarcheRequest.id, DemarcheRequest.reference, counted_from)
                          .outerjoin(last_change, last_change.c.request_id == DemarcheRequest.id)
                          .where(DemarcheRequest.demarche == slug, counted_from < months_before(now, months))
                          .order_by(DemarcheRequest.id))
        found.requests += [ExpiredRequest(row_id, reference, slug, since, months) for row_id, reference, since in rows]
    found.report_contacts = list(db.scalars(select(Report.id).where(
        Report.contact_email.is_not(None), Report.created_at < months_before(now, contact_months))
        .order_by(Report.id)))
    return found


@dataclass(frozen=True)
class Applied:
    requests: int
    files: int
    report_contacts: int
    people: int


def apply(db: Session, planned: Plan, actor: str) -> Applied:
    """Delete what the plan lists, audit it, commit."""
    files = 0
    for expired in planned.requests:
        request = db.get(DemarcheRequest, expired.id)
        if request is not None:
            files += delete_request(db, request)
    if planned.report_contacts:
        db.execute(update(Report).where(Report.id.in_(planned.report_contacts)).values(contact_email=None))
    people = forget_people_without_data(db)
    audit.record(db, "conservation_appliquee", actor, "conservation", None, {
        "demandes": [expired.reference for expired in planned.requests], "fichiers": files,
        "contacts_signalements": len(planned.report_contacts), "personnes": people})
    db.commit()
    return Applied(len(planned.requests), files, len(planned.report_contacts), people)


def forget_people_without_data(db: Session) -> int:
    """Delete person numbers that no request, link or report needs any more."""
    has_request = exists().where(func.lower(DemarcheRequest.email) == Person.email)
    has_link = exists().where(PersonLink.person_id == Person.id, PersonLink.attached.is_(True))
    has_report = exists().where(func.lower(Report.contact_email) == Person.email)
    result = db.execute(delete(Person).where(~or_(has_request, has_link, has_report))
                        .execution_options(synchronize_session=False))
    return result.rowcount
