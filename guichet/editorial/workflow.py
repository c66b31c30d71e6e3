"""The review workflow as data: a version's states, the actions that move it, and who may act.

brouillon → (soumettre) → en_relecture → (approuver) → publiee; a relecteur may send it back
(renvoyer, with comments); an admin may force publication with a written reason. A published
version becomes `remplacee` when the next one is published.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from guichet.staff.models import StaffMember
from guichet.staff.roles import has_role, services_for

STATES = {
    "brouillon": _l("Brouillon"),
    "en_relecture": _l("En relecture"),
    "programmee": _l("Programmée"),
    "publiee": _l("Publiée"),
    "remplacee": _l("Remplacée"),
}
DRAFT_STATES = ("brouillon", "en_relecture", "programmee")
# What the list shows for a fiche, from its published version and its working draft.
EDITION_STATES = {
    "publiee": _l("Publiée"),
    "brouillon": _l("Brouillon"),
    "en_relecture": _l("En relecture"),
    "publiee_brouillon": _l("Publiée avec un brouillon"),
    "publiee_relecture": _l("Publiée, nouvelle version en relecture"),
    "programmee": _l("Programmée"),
    "archivee": _l("Archivée"),
}
# Archiving takes a published fiche with no version in progress off the site (301 to a replacement or 410).
ARCHIVE_ROLES = ("relecteur", "admin")
ARCHIVABLE_STATES = ("publiee",)
WRITER_ROLES = ("editeur", "relecteur")
TEXT_MAX = 2000


@dataclass(frozen=True)
class Action:
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]  # per-service roles (of the fiche's owner service); "admin" is organisation-wide
    text: str | None = None  # the label of a required text (comments, reason); None: no text
    not_author: bool = False  # the author of the version may not take this action
    publishes: bool = False  # now
    scheduled: bool = False  # at the date and time given; the worker publishes it


ACTIONS = {
    "soumettre": Action(_l("Envoyer en relecture"), ("brouillon",), "en_relecture", ("editeur", "relecteur", "admin")),
    "approuver": Action(_l("Approuver et publier"), ("en_relecture",), "publiee", ("relecteur",), not_author=True,
                        publishes=True),
    "programmer": Action(_l("Approuver et programmer la publication"), ("en_relecture",), "programmee",
                         ("relecteur",), not_author=True, scheduled=True),
    "deprogrammer": Action(_l("Annuler la programmation"), ("programmee",), "en_relecture", ("relecteur", "admin")),
    "renvoyer": Action(_l("Renvoyer avec des remarques"), ("en_relecture",), "brouillon", ("relecteur",),
                       text=_l("Vos remarques pour l'auteur")),
    "forcer": Action(_l("Publier sans relecture"), DRAFT_STATES, "publiee", ("admin",),
                     text=_l("Pourquoi publier sans relecture ?"), publishes=True),
}


def holds(member: StaffMember, roles: tuple[str, ...], service: str) -> bool:
    """`admin` counts organisation-wide; the other roles only in the fiche's owner service."""
    return ("admin" in roles and has_role(member, "admin")) or service in services_for(member, *roles)


def may_write(member: StaffMember, service: str) -> bool:
    return holds(member, (*WRITER_ROLES, "admin"), service)


def allowed(action: Action, member: StaffMember, service: str, status: str, author_id: int | None) -> bool:
    return (status in action.sources and holds(member, action.roles, service)
            and not (action.not_author and author_id == member.id))


def available_actions(member: StaffMember, service: str, status: str, author_id: int | None) -> dict[str, Action]:
    return {name: action for name, action in ACTIONS.items() if allowed(action, member, service, status, author_id)}


def may_archive(member: StaffMember, service: str, state: str) -> bool:
    return state in ARCHIVABLE_STATES and holds(member, ARCHIVE_ROLES, service)


def edition_state(published: bool, draft_status: str | None, archived: bool = False) -> str:
    if archived:
        return "archivee"
    if draft_status is None:
        return "publiee"
    if draft_status == "programmee":
        return "programmee"
    return f"publiee_{'relecture' if draft_status == 'en_relecture' else 'brouillon'}" if published else draft_status
