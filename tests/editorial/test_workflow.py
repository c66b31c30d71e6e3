from types import SimpleNamespace

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

