"""Editions: one published version and at most one draft, stale saves refused, every version kept."""
from datetime import date, datetime

import pytest

from guichet import db
from guichet.editorial import editions
from guichet.editorial.editions import english_status
from guichet.staff.models import StaffMember, StaffRole
from tests.conftest import build_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('editions') / 'guichet.sqlite3'}")


def staff(session, email: str, *roles) -> StaffMember:
    member = StaffMember(email=email, given_name="Ana", family_name="Lyse", failed_attempts=0)
    member.roles = [StaffRole(role=role, service=service) for role, service in roles]
    session.add(member)
    session.flush()
    return member


def test_every_french_fiche_has_one_published_edition_and_no_draft(app):
    with app.app_context():
        session = db.session()
        editions.sync(session)
        edition = editions.find(session, "pacs")
        assert editions.published(edition).number == 1 and editions.draft(edition) is None
        assert editions.state_of(edition) == "publiee"
        rows = {row.edition.slug: row for row in editions.rows(session, date(2026, 12, 6))}
        assert rows["conges-naissance"].english == "absente" and rows["pacs"].english == "a_jour"
        assert rows["pacs"].service == "etat-civil" and rows["pacs"].score > 60
        assert not rows["pacs"].to_review
        assert {row.edition.slug for row in editions.rows(session, date(2028, 1, 1)) if row.to_review} == set(rows)
        session.rollback()


def test_one_draft_at_a_time_and_a_stale_save_is_refused(app):
    with app.app_context():
        session = db.session()
        editions.sync(session)
        writer = staff(session, "ecrit@admiville.test", ("editeur", "etat-civil"))
        edition = editions.find(session, "pacs")
        source = editions.published(edition).source
        lock = edition.lock
        first = editions.save_draft(session, edition, source + "\nUn.\n", writer, "un", lock)
        second = editions.save_draft(session, edition, source + "\nDeux.\n", writer, "deux", lock + 1)
        assert first is second and editions.state_of(edition) == "publiee_brouillon"
        with pytest.raises(editions.StaleDraft) as stale:
            editions.save_draft(session, edition, source, writer, "", lock)
        assert stale.value.current.source.endswith("Deux.\n")
        assert len(edition.versions) == 2
        session.rollback()


def test_the_english_version_is_to_update_when_the_french_changed_after_it():
    assert english_status(datetime(2026, 1, 2), None) == "absente"
    assert english_status(datetime(2026, 1, 2), datetime(2026, 1, 3)) == "a_jour"
    assert english_status(datetime(2026, 1, 4), datetime(2026, 1, 3)) == "a_revoir"


def test_a_new_fiche_body_holds_every_section_in_order():
    from guichet.content.loader import SECTIONS
    body = editions.skeleton()
    assert [line[3:] for line in body.split("\n") if line.startswith("## ")] == SECTIONS["fr"]
