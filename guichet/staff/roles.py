"""Roles and what they open. Roles are given per service, except those that cover the whole organisation."""
from flask_babel import lazy_gettext as _l

from guichet.staff.models import StaffMember

ROLES = {
    "agent": _l("Agent (traite les demandes de ses services)"),
    "superviseur": _l("Superviseur (toutes les demandes de ses services, réaffecte, voit les indicateurs)"),
    "admin": _l("Administrateur (agents, services, réglages)"),
    "dpo": _l("Délégué à la protection des données"),
    "editeur": _l("Éditeur (rédige les fiches)"),
    "relecteur": _l("Relecteur (relit et publie les fiches)"),
}
ORGANISATION_ROLES = frozenset({"admin", "dpo"})
REQUEST_ROLES = ("agent", "superviseur")


def role_is_valid(role: str, service: str | None, services: set[str]) -> bool:
    """Organisation-wide roles take no service; every other role needs a known service."""
    if role not in ROLES:
        return False
    return service is None if role in ORGANISATION_ROLES else service in services


def has_role(member: StaffMember, *roles: str) -> bool:
    return any(grant.role in roles for grant in member.roles)


def services_for(member: StaffMember, *roles: str) -> set[str]:
    """The services in which the member holds one of these roles."""
    return {grant.service for grant in member.roles if grant.role in roles and grant.service}
