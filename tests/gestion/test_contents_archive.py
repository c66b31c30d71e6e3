"""Archiving a fiche: its address redirects to a replacement (301) or says it is gone (410); search, lists
and the sitemap leave it out; export and the next `flask content load` keep it archived."""
import re
import shutil

import pytest

from guichet import db
from guichet.audit.models import AuditEntry
from guichet.content import service as content_service
from guichet.content.models import Fiche, SearchEntry
from guichet.paths import CONTENT_DIR
from tests.conftest import build_app
from tests.gestion.test_contents import csrf, draft_saved, lock_of, signed_in


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A database of its own: these tests archive fiches."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('archive') / 'guichet.sqlite3'}",
                     PAGE_CACHE_TTL_SECONDS=0)


def archive(client, slug: str, replacement: str, reason: str):
    """Post the archive form, with the lock of the edit page (the form is not shown to who may not archive)."""
    page = client.get(f"/gestion/contenus/{slug}").get_data(as_text=True)
    return client.post(f"/gestion/contenus/{slug}/archiver",
                       data={"csrf_token": csrf(page), "lock": lock_of(page), "replacement": replacement,
                             "reason": reason})


def fiche_source(app, slug: str) -> str:
    with app.app_context():
        return db.session().query(Fiche).filter_by(slug=slug, lang="fr").one().versions[-1].source


@pytest.mark.parametrize("replacement, reason, message", [
    ("n-existe-pas", "Remplacée.", "Cette fiche de remplacement n&#39;existe pas"),
    ("livret-de-famille", "Remplacée.", "Une fiche ne peut pas se remplacer elle-même"),
    ("pacs", "   ", "Écrivez pourquoi vous archivez cette fiche."),
])
def test_bad_input_is_refused_with_a_french_message_and_nothing_changes(app, make_staff, replacement, reason,
                                                                        message):
    reviewer, _member = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    before = fiche_source(app, "livret-de-famille")
    refused = archive(reviewer, "livret-de-famille", replacement, reason)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert fiche_source(app, "livret-de-famille") == before
    assert app.test_client().get("/fiches/livret-de-famille").status_code == 200


@pytest.mark.parametrize("roles, status", [
    ((("editeur", "etat-civil"),), 400),  # may open the fiche, may not archive it
    ((("relecteur", "ccas"),), 404),  # another service's fiche is not revealed
])
def test_only_a_reviewer_of_the_service_or_an_admin_archives(app, make_staff, roles, status):
    client, _member = signed_in(app, make_staff, *roles)
    page = client.get("/gestion/contenus/livret-de-famille/archiver")
    if status == 404:
        assert page.status_code == 404
    else:
        assert "Vous ne pouvez pas archiver cette fiche" in page.get_data(as_text=True)
    if status == 404:
        token = csrf(client.get("/gestion/contenus/").get_data(as_text=True))
        refused = client.post("/gestion/contenus/livret-de-famille/archiver",
                              data={"csrf_token": token, "lock": "0", "replacement": "", "reason": "Plus utile."})
    else:
        refused = archive(client, "livret-de-famille", "", "Plus utile.")
    assert refused.status_code == status
    if status == 400:
        assert "Vous ne pouvez pas archiver cette fiche" in refused.get_data(as_text=True)
    assert app.test_client().get("/fiches/livret-de-famille").status_code == 200


def test_archived_with_a_replacement_redirects_with_301_and_leaves_search_and_lists(app, make_staff):
    reviewer, _member = signed_in(app, make_staff, ("relecteur", "etat-civil"))
    assert app.test_client().get("/fiches/mariage-mairie").status_code == 200  # stored in the page cache
    done = archive(reviewer, "mariage-mairie", "pacs", "Fusionnée avec la fiche du Pacs.")
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    with app.app_context():
        assert "archived" in db.session().query(Fiche).filter_by(slug="mariage-mairie", lang="fr").one().meta
    moved = app.test_client().get("/fiches/mariage-mairie")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/fiches/pacs")
    citizen = app.test_client()
    assert "/fiches/mariage-mairie" not in citizen.get("/fiches/pacs").get_data(as_text=True)
    assert "/fiches/mariage-mairie" not in citizen.get("/sitemap.xml").get_data(as_text=True)
    assert "/fiches/mariage-mairie" not in citizen.get("/fiches").get_data(as_text=True)
    assert "/fiches/mariage-mairie" not in citizen.get("/evenements/mariage-pacs").get_data(as_text=True)
    with app.app_context():
        assert "archived" in db.session().query(Fiche).filter_by(slug="mariage-mairie", lang="fr").one().meta
        assert db.session().query(SearchEntry).filter_by(kind="fiche", slug="mariage-mairie").count() == 0
        entry = db.session().query(AuditEntry).filter_by(action="fiche_archivee", target_id="mariage-mairie").one()
        assert entry.details["remplacement"] == "pacs" and entry.details["raison"] == "Fusionnée avec la fiche du Pacs."
    listing = reviewer.get("/gestion/contenus/?etat=archivee").get_data(as_text=True)
    assert "/gestion/contenus/mariage-mairie" in listing and "/gestion/contenus/pacs\"" not in listing
    assert "Archivée" in listing
    assert archive(reviewer, "mariage-mairie", "", "Encore.").status_code == 400, "an archived fiche stays archived"


def test_archived_without_a_replacement_answers_410_with_its_life_events_and_search(app, make_staff):
    admin, _member = signed_in(app, make_staff, ("admin", None))
    assert archive(admin, "declarer-naissance", "", "La démarche est maintenant nationale.").status_code == 302
    gone = app.test_client().get("/fiches/declarer-naissance")
    assert gone.status_code == 410
    page = gone.get_data(as_text=True)
    assert "Cette page n&#39;existe plus" in page or "Cette page n'existe plus" in page
    assert re.search(r'href="/evenements/[a-z-]+"', page) and 'href="/recherche"' in page
    assert "<h1>" in page


def test_the_next_load_and_export_keep_archived_fiches(app, tmp_path, monkeypatch):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    monkeypatch.setattr(content_service, "CONTENT_DIR", copy)
    with app.app_context():
        session = db.session()
        content_service.load(session)
        assert app.test_client().get("/fiches/mariage-mairie").status_code == 301
        written = content_service.export(session)
        assert "fr/mariage-mairie" in written
        assert "archived:" in (copy / "fr" / "mariage-mairie.md").read_text(encoding="utf-8")
        content_service.load(session)
    assert app.test_client().get("/fiches/mariage-mairie").status_code == 301
    assert app.test_client().get("/fiches/declarer-naissance").status_code == 410


def test_a_new_version_published_through_the_workflow_brings_the_fiche_back(app, make_staff):
    admin, _member = signed_in(app, make_staff, ("admin", None))
    assert "Archivée" in admin.get("/gestion/contenus/declarer-naissance").get_data(as_text=True)
    page = draft_saved(app, admin, "declarer-naissance", lambda data: data.update(note="Retour de la fiche"))
    assert admin.post("/gestion/contenus/declarer-naissance/actions/forcer",
                      data={"csrf_token": csrf(page), "lock": lock_of(page),
                            "text": "La démarche redevient locale."}).status_code == 302
    assert app.test_client().get("/fiches/declarer-naissance").status_code == 200
    assert "/fiches/declarer-naissance" in app.test_client().get("/sitemap.xml").get_data(as_text=True)
