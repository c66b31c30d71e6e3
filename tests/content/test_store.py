"""Loading is an idempotent upsert that keeps versions; a refused load changes nothing."""
import dataclasses

import pytest
from sqlalchemy import func, select

from guichet import db
from guichet.content import service
from guichet.content.errors import ContentError
from guichet.content.models import Fiche, FicheVersion
from guichet.content.store import store_content
from lexicon import load_vocabulary


def test_second_load_changes_nothing(app):
    with app.app_context():
        result = service.load(db.session())
        assert result.created == 0 and result.updated == 0 and result.unchanged >= 24


def test_changed_source_adds_a_version_and_rerenders(app):
    with app.app_context():
        session = db.session()
        content = service.validate()
        source = next(fiche for fiche in content.fiches if fiche.slug == "pacs")
        before = session.scalar(select(Fiche).where(Fiche.slug == "pacs", Fiche.lang == "fr"))
        version_before = before.version
        changed = dataclasses.replace(source, body_md=source.body_md + "\nUne phrase ajoutée.\n",
                                      source_text=source.source_text + "\nUne phrase ajoutée.\n",
                                      content_hash="0" * 64)
        content.fiches[content.fiches.index(source)] = changed
        result = store_content(session, content, load_vocabulary())
        session.commit()
        fiche = session.scalar(select(Fiche).where(Fiche.slug == "pacs", Fiche.lang == "fr"))
        assert result.updated == 1
        assert fiche.version == version_before + 1
        assert "Une phrase ajoutée." in fiche.html
        assert session.scalar(select(func.count()).select_from(FicheVersion)
                              .where(FicheVersion.fiche_id == fiche.id)) == version_before + 1
        service.load(session)  # back to the files' content, as a third version
        assert session.scalar(select(Fiche).where(Fiche.slug == "pacs", Fiche.lang == "fr")).version == version_before + 2


def test_refused_content_leaves_the_database_untouched(app, monkeypatch):
    with app.app_context():
        session = db.session()
        titles_before = dict(session.execute(select(Fiche.slug, Fiche.title)).all())

        def broken_validate():
            raise ContentError([("site/content/fr/x.md", "title", "champ obligatoire manquant ou vide")])

        monkeypatch.setattr(service, "validate", broken_validate)
        with pytest.raises(ContentError):
            service.load(session)
        assert dict(session.execute(select(Fiche.slug, Fiche.title)).all()) == titles_before


def test_glossary_terms_are_linked_once(app):
    with app.app_context():
        fiche = db.session().scalar(select(Fiche).where(Fiche.slug == "rsa", Fiche.lang == "fr"))
    assert 'class="terme"' in fiche.html
    links = [part.split('"')[0] for part in fiche.html.split('class="terme" href="/glossaire/')[1:]]
    assert len(links) == len(set(links)), "a glossary term is linked more than once"
