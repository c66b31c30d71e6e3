"""Finding people and gathering a person's file, within what the staff member may see.

Matching is on the verified email (the address the receipt went to, `DemarcheRequest.email`) and
the contact address of difficulty reports, both compared in lower case; an agent's `PersonLink`
rows then add or remove single requests. Agents and supervisors only ever see requests of their
services; the DPO sees everything. Difficulty reports are shown to those who may read reports.
"""
import re
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.feedback.models import Report
from guichet.people.models import Person, PersonLink
from guichet.requests.models import DemarcheRequest
from guichet.requests.workflow import is_final
from guichet.staff.models import StaffMember
from guichet.staff.roles import REQUEST_ROLES, has_role, services_for

SEARCH_LIMIT = 50
REPORT_ROLES = ("superviseur", "dpo")


@dataclass(frozen=True)
class Scope:
    """What a staff member may see of people: `services` None means every service."""

    services: frozenset[str] | None
    reports: bool

    def covers(self, request: DemarcheRequest) -> bool:
        return self.services is None or request.service in self.services


def scope_for(member: StaffMember) -> Scope:
    if has_role(member, "dpo"):
        return Scope(None, True)
    return Scope(frozenset(services_for(member, *REQUEST_ROLES)), has_role(member, *REPORT_ROLES))


def normalise_email(text: str) -> str:
    return (text or "").strip().lower()


def person_for(db: Session, email: str) -> Person:
    """The person of this address, numbered the first time it is needed (the caller commits)."""
    email = normalise_email(email)
    person = db.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(email=email)
        db.add(person)
        db.flush()
    return person


def still_processing(request: DemarcheRequest) -> bool:
    return not is_final(request.status)


def _links(db: Session, person: Person) -> dict[int, bool]:
    return dict(db.execute(select(PersonLink.request_id, PersonLink.attached)
                           .where(PersonLink.person_id == person.id)).all())


def requests_of(db: Session, person: Person, scope: Scope) -> list[DemarcheRequest]:
    """The person's requests in scope: same verified email or attached by hand, minus those detached."""
    links = _links(db, person)
    attached = [request_id for request_id, kept in links.items() if kept]
    detached = [request_id for request_id, kept in links.items() if not kept]
    query = select(DemarcheRequest).where(
        or_(func.lower(DemarcheRequest.email) == person.email, DemarcheRequest.id.in_(attached)))
    if detached:
        query = query.where(DemarcheRequest.id.not_in(detached))
    if scope.services is not None:
        query = query.where(DemarcheRequest.service.in_(scope.services))
    return list(db.scalars(query.order_by(DemarcheRequest.received_at.desc(), DemarcheRequest.id.desc())))


def detached_requests(db: Session, person: Person, scope: Scope) -> list[DemarcheRequest]:
    """Requests matched by email that an agent detached: shown so the correction can be undone."""
    detached = [request_id for request_id, kept in _links(db, person).items() if not kept]
    found = db.scalars(select(DemarcheRequest).where(DemarcheRequest.id.in_(detached))) if detached else []
    return [request for request in found if scope.covers(request)]


def reports_of(db: Session, person: Person, scope: Scope) -> list[Report]:
    if not scope.reports:
        return []
    return list(db.scalars(select(Report).where(func.lower(Report.contact_email) == person.email)
                           .order_by(Report.created_at.desc())))


def visible(db: Session, person: Person, scope: Scope) -> bool:
    """Whether the member may open this file at all: something of it must be in scope."""
    return bool(requests_of(db, person, scope) or reports_of(db, person, scope))


def name_of(identity: dict | None) -> str | None:
    identity = identity or {}
    return " ".join(str(part) for part in (identity.get("identite_prenom"), identity.get("identite_nom"))
                    if part) or None


def display_name(requests: list[DemarcheRequest]) -> str | None:
    """First name and name from the most recent request that has them."""
    return next((name for name in (name_of(request.identity) for request in requests) if name), None)


def set_link(db: Session, person: Person, request: DemarcheRequest, attached: bool, by: StaffMember) -> None:
    """Attach or detach a request by hand; the latest decision replaces the previous one (the caller audits)."""
    link = db.scalar(select(PersonLink).where(PersonLink.person_id == person.id,
                                              PersonLink.request_id == request.id))
    if link is None:
        link = PersonLink(person_id=person.id, request_id=request.id)
        db.add(link)
    link.attached, link.by_id, link.at = attached, by.id, utcnow()
    db.flush()


# --- Search -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    email: str
    name: str | None
    requests: int
    reports: int


def _like(word: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", word.lower()) + "%"


def _request_matches(word: str):
    pattern = _like(word)
    fields = [func.lower(DemarcheRequest.email),
              func.lower(DemarcheRequest.identity["identite_nom"].as_string()),
              func.lower(DemarcheRequest.identity["identite_prenom"].as_string())]
    conditions = [field.like(pattern, escape="\\") for field in fields]
    digits = re.sub(r"\D", "", word)
    if len(digits) >= 4 and len(digits) * 2 >= len(word):
        phone = DemarcheRequest.identity["identite_telephone"].as_string()
        for separator in (" ", ".", "-", "+"):
            phone = func.replace(phone, separator, "")
        conditions.append(phone.like(_like(digits), escape="\\"))
    return or_(*conditions)


def search(db: Session, text: str, scope: Scope) -> list[Found]:
    """People whose verified email, name or phone contain every word typed (at most SEARCH_LIMIT)."""
    words = text.split()
    if not words:
        return []
    query = select(DemarcheRequest.email, DemarcheRequest.identity).where(
        DemarcheRequest.email.is_not(None), and_(*[_request_matches(word) for word in words]))
    if scope.services is not None:
        query = query.where(DemarcheRequest.service.in_(scope.services))
    found: dict[str, dict] = {}
    for email, identity in db.execute(query.order_by(DemarcheRequest.received_at.desc()).limit(SEARCH_LIMIT * 10)):
        entry = found.setdefault(normalise_email(email), {"name": None, "requests": 0, "reports": 0})
        entry["requests"] += 1
        entry["name"] = entry["name"] or name_of(identity)
    if scope.reports:
        reports = select(Report.contact_email).where(Report.contact_email.is_not(None), and_(
            *[func.lower(Report.contact_email).like(_like(word), escape="\\") for word in words]))
        for (email,) in db.execute(reports.limit(SEARCH_LIMIT * 10)):
            found.setdefault(normalise_email(email), {"name": None, "requests": 0, "reports": 0})["reports"] += 1
    return [Found(email, entry["name"], entry["requests"], entry["reports"])
            for email, entry in sorted(found.items())[:SEARCH_LIMIT]]
