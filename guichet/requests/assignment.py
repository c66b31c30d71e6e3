"""Who may give a request an owner, and giving it, with its trace.

The rule, per request and in the request's service:
- a superviseur may give it to anyone who works in that service (agent or superviseur), themselves included,
  whoever owns it now;
- an agent may take it when nobody owns it, and may give a request they own to a colleague of that service;
  an agent never takes a request from a colleague (a superviseur does that);
- the new owner must work in the request's service (agent or superviseur there) and have an active account.
A batch is all or nothing: one refusal and nothing changes.
"""
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from guichet.audit import log as audit
from guichet.db import utcnow
from guichet.requests.models import DemarcheRequest, RequestEvent
from guichet.staff.models import StaffMember
from guichet.staff.roles import REQUEST_ROLES, services_for


def may_assign(actor_id: int, actor_roles: set[str], current_owner: int | None, new_owner: int) -> bool:
    """The rule above, for roles the actor holds in the request's service."""
    if "superviseur" in actor_roles:
        return True
    if "agent" not in actor_roles:
        return False
    if new_owner == actor_id:
        return current_owner in (None, actor_id)
    return current_owner == actor_id


def roles_in(member: StaffMember, service: str | None) -> set[str]:
    return {grant.role for grant in member.roles if grant.service == service and service is not None}


def can_own(member: StaffMember, service: str | None) -> bool:
    return member.disabled_at is None and service in services_for(member, *REQUEST_ROLES)


def problems(actor: StaffMember, requests: list[DemarcheRequest], new_owner: StaffMember) -> list[str]:
    """Why this assignment cannot be done, one French sentence per refused request (empty: allowed)."""
    found = []
    for request in requests:
        if not can_own(new_owner, request.service):
            found.append(_("%(name)s ne travaille pas dans le service de la demande %(reference)s.",
                           name=new_owner.name, reference=request.reference))
        elif not may_assign(actor.id, roles_in(actor, request.service), request.owner_id, new_owner.id):
            found.append(_("Vous ne pouvez pas attribuer la demande %(reference)s : un agent prend une demande "
                           "que personne ne suit, ou donne une des siennes ; un superviseur peut tout "
                           "réattribuer.", reference=request.reference))
    return found


def assign(db: Session, actor: StaffMember, requests: list[DemarcheRequest], new_owner: StaffMember,
           client: str | None) -> int:
    """Give each request to `new_owner` (the caller checked `problems` and commits); returns how many changed."""
    changed = 0
    for request in requests:
        if request.owner_id == new_owner.id:
            continue
        previous = request.owner_id
        request.owner_id = new_owner.id
        request.updated_at = utcnow()
        details = {"de": previous, "a": new_owner.id}
        text = (_("Prise par %(name)s", name=new_owner.name) if new_owner.id == actor.id
                else _("Attribuée à %(name)s par %(actor)s", name=new_owner.name, actor=actor.name))
        request.events.append(RequestEvent(kind="assignation", actor_id=actor.id, text=text, details=details))
        audit.record(db, "demande_attribuee", actor, "request", request.reference, details, client)
        changed += 1
    return changed
