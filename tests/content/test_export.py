"""Files and database, one truth at a time: export writes what is published, load never overwrites silently."""
import shutil

import pytest

from guichet import db
from guichet.content import service as content_service
from guichet.content.models import Fiche
from guichet.paths import CONTENT_DIR
from tests.conftest import build_app

SEED_FICHES = sorted(CONTENT_DIR.glob("*/*.md"))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('export') / 'guichet.sqlite3'}")


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A copy of site/content that loads and exports read and write."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    monkeypatch.setattr(content_service, "CONTENT_DIR", copy)
    return copy


def test_every_seed_fiche_round_trips_byte_for_byte(app, tmp_path):
    assert len(SEED_FICHES) > 40
    with app.app_context():
        written = content_service.export(db.session(), tmp_path)
    assert len(written) == len(SEED_FICHES)
    for seed in SEED_FICHES:
        assert (tmp_path / seed.parent.name / seed.name).read_bytes() == seed.read_bytes(), seed.name


def test_an_unchanged_fiche_is_not_rewritten(app, files):
    with app.app_context():
        assert content_service.export(db.session()) == []


def published_text(slug: str) -> str:
    fiche = db.session().query(Fiche).filter_by(slug=slug, lang="fr").one()
    return fiche.body_md


def publish_change(slug: str, sentence: str) -> None:
    session = db.session()
    text = (CONTENT_DIR / "fr" / f"{slug}.md").read_text(encoding="utf-8")
    content_service.publish(session, text + f"\n{sentence}\n", slug)
    session.commit()


def test_load_keeps_back_office_work_names_conflicts_and_force_lets_the_files_win(app, files):
    sentence = "La mairie ferme à midi le samedi."
    with app.app_context():
        publish_change("pacs", sentence)
        content_service.load(db.session())
        assert sentence in published_text("pacs"), "an unchanged file never overwrites a published edit"
        path = files / "fr" / "pacs.md"
        path.write_text(path.read_text(encoding="utf-8").replace("Conclure un Pacs", "Faire un Pacs"),
                        encoding="utf-8")
        with pytest.raises(content_service.LoadConflict) as conflict:
            content_service.load(db.session())
        assert conflict.value.slugs == ["fr/pacs"]
        db.session().rollback()
        assert sentence in published_text("pacs")
        result = app.test_cli_runner().invoke(args=["content", "load"])
        assert result.exit_code != 0 and "fr/pacs" in result.output
        content_service.load(db.session(), force=True)
        assert sentence not in published_text("pacs")


def test_export_writes_the_published_version_and_the_next_load_is_clean(app, files):
    sentence = "Apportez aussi un stylo."
    with app.app_context():
        publish_change("livret-de-famille", sentence)
        assert app.test_cli_runner().invoke(args=["content", "export"]).exit_code == 0
        assert sentence in (files / "fr" / "livret-de-famille.md").read_text(encoding="utf-8")
        content_service.load(db.session())
        assert sentence in published_text("livret-de-famille")
        fiche = db.session().query(Fiche).filter_by(slug="livret-de-famille", lang="fr").one()
        assert fiche.file_hash == fiche.content_hash
