"""Roles and what they open. Roles are given per service, except those that cover the whole organisation."""
from guichet.staff.models import StaffMember

ROLES = {
    "agent": "Agent (traite les demandes de ses services)",
    "superviseur": "Superviseur (toutes les demandes de ses services, réaffecte, voit les indicateurs)",
    "admin": "Administrateur (agents, services, réglages)",
    "dpo": "Délégué à la protection des données",
    "editeur": "Éditeur (rédige les fiches)",
    "relecteur": "Relecteur (relit et publie les fiches)",
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
