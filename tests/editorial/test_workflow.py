from types import SimpleNamespace

import pytest

from guichet.editorial import workflow


def member(member_id: int, *roles):
    return SimpleNamespace(id=member_id, roles=[SimpleNamespace(role=role, service=service) for role, service in roles])


def test_only_a_reviewer_of_the_service_who_is_not_the_author_approves():
    approve = workflow.ACTIONS["approuver"]
    reviewer = member(2, ("relecteur", "etat-civil"))
    assert workflow.allowed(approve, reviewer, "etat-civil", "en_relecture", author_id=1)
    assert not workflow.allowed(approve, reviewer, "etat-civil", "en_relecture", author_id=2)
    assert not workflow.allowed(approve, reviewer, "ccas", "en_relecture", author_id=1)
    assert not workflow.allowed(approve, reviewer, "etat-civil", "brouillon", author_id=1)
    assert not workflow.allowed(approve, member(3, ("editeur", "etat-civil")), "etat-civil", "en_relecture", 1)
    assert not workflow.allowed(approve, member(4, ("admin", None)), "etat-civil", "en_relecture", 1)


def test_an_admin_may_force_publication_of_any_draft_with_a_reason():
    force = workflow.ACTIONS["forcer"]
    admin = member(4, ("admin", None))
    assert force.text and force.publishes
    assert workflow.allowed(force, admin, "ccas", "brouillon", admin.id)
    assert not workflow.allowed(force, admin, "ccas", "publiee", None)


def test_every_action_leads_to_a_known_state():
    for action in workflow.ACTIONS.values():
        assert action.target in workflow.STATES
        assert set(action.sources) <= set(workflow.STATES)


def test_the_state_of_a_fiche_from_its_published_version_and_draft():
    assert workflow.edition_state(True, None) == "publiee"
    assert workflow.edition_state(True, "brouillon") == "publiee_brouillon"
    assert workflow.edition_state(False, "brouillon") == "brouillon"
    assert workflow.edition_state(True, "en_relecture") == "publiee_relecture"
    assert set(workflow.EDITION_STATES) >= {"publiee", "brouillon", "en_relecture", "publiee_brouillon"}



@pytest.mark.parametrize("roles, service, state, allowed", [
    ((("relecteur", "etat-civil"),), "etat-civil", "publiee", True),
    ((("admin", None),), "ccas", "publiee", True),
    ((("editeur", "etat-civil"),), "etat-civil", "publiee", False),  # writers do not archive
    ((("relecteur", "ccas"),), "etat-civil", "publiee", False),  # only in the owner service
    ((("relecteur", "etat-civil"),), "etat-civil", "publiee_brouillon", False),  # a version is in progress
    ((("admin", None),), "ccas", "en_relecture", False),  # never published
    ((("admin", None),), "ccas", "archivee", False),  # already archived
])
def test_who_may_archive_a_fiche_and_when(roles, service, state, allowed):
    assert workflow.may_archive(member(5, *roles), service, state) is allowed


def test_an_archived_fiche_shows_as_archived_whatever_its_drafts():
    assert workflow.edition_state(True, None, archived=True) == "archivee"
    assert workflow.edition_state(True, "brouillon", archived=True) == "archivee"
    assert "archivee" in workflow.EDITION_STATES
