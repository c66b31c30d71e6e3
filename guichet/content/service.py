"""Load the content files into the database: validate everything, then write in one transaction."""
import re
from dataclasses import replace
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from lexicon import load_vocabulary

from guichet.content.errors import ContentError
from guichet.content.loader import ContentSet, EventSource, FicheSource, References, check_fiche_text, read_content
from guichet.content.models import Fiche, LifeEvent
from guichet.content.store import (LoadResult, publish_fiche, published_source, rebuild_search_index,
                                   store_content)
from guichet.demarches.catalogue import catalogue
from guichet.paths import CONTENT_DIR


def references() -> References:
    return References(
        services=set(current_app.config["SETTINGS"]["services"]),
        demarches=catalogue().slugs(),
        glossary={entry.slug for entry in load_vocabulary().entries},
        images_dir=images_dir(),
    )


def images_dir() -> Path:
    return CONTENT_DIR / "images"


def validate() -> ContentSet:
    return read_content(CONTENT_DIR, references())


class LoadConflict(Exception):
    """Fiches changed both in their file and in the back office since the last load."""

    def __init__(self, slugs: list[str]):
        super().__init__(", ".join(slugs))
        self.slugs = slugs


def load(db: Session, force: bool = False) -> LoadResult:
    """Raises ContentError, leaving the database untouched, when any file is invalid; LoadConflict when a
    fiche published from the back office changed in its file too (unless `force`: the files win)."""
    content = validate()
    content, conflicts = reconcile(db, content)
    if conflicts and not force:
        raise LoadConflict(conflicts)
    result = store_content(db, content, load_vocabulary())
    rebuild_search_index(db, search_documents(db, content))
    db.commit()
    return result


def reconcile(db: Session, content: ContentSet) -> tuple[ContentSet, list[str]]:
    """Files meet what the back office published since the last load.

    A fiche published from the back office (its hash differs from its file's at the last load) keeps its
    published text when its file did not change since, or has no file (created in the back office); when
    both changed, it is a conflict, named as "lang/slug"; the files' version is what `force` loads."""
    edited = {(fiche.slug, fiche.lang): fiche for fiche in db.scalars(select(Fiche))
              if fiche.content_hash != fiche.file_hash}
    fiches, conflicts = [], []
    for source in content.fiches:
        fiche = edited.pop((source.slug, source.lang), None)
        if fiche is None or source.content_hash == fiche.content_hash:
            fiches.append(source)
        elif source.content_hash == fiche.file_hash:
            fiches.append(_database_source(fiche, source.path))
        else:
            conflicts.append(f"{source.lang}/{source.slug}")
            fiches.append(source)
    fiches += [_database_source(fiche, Path(fiche.lang) / f"{fiche.slug}.md") for fiche in edited.values()]
    return ContentSet(fiches, content.events), conflicts


def _database_source(fiche: Fiche, path: Path) -> FicheSource:
    return FicheSource(fiche.slug, fiche.lang, fiche.meta, fiche.body_md, published_source(fiche),
                       fiche.content_hash, path, from_file=False)


def export(db: Session, content_dir: Path | None = None) -> list[str]:
    """Write what citizens see back to the files; returns the files written ("lang/slug").

    A fiche whose file already holds its text is left alone, so an unchanged fiche keeps its bytes."""
    content_dir = content_dir or CONTENT_DIR
    written = []
    for fiche in db.scalars(select(Fiche).order_by(Fiche.lang, Fiche.slug)):
        path = content_dir / fiche.lang / f"{fiche.slug}.md"
        text = published_source(fiche)
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            written.append(f"{fiche.lang}/{fiche.slug}")
        fiche.file_hash = fiche.content_hash
    db.commit()
    return written


def database_content(db: Session) -> ContentSet:
    """The content as loaded, to check one fiche among the others."""
    fiches = [_database_source(fiche, Path(fiche.lang) / f"{fiche.slug}.md") for fiche in db.scalars(select(Fiche))]
    events = [EventSource(event.slug, event.lang, event.title, event.pictogram, event.position, event.phases, "",
                          event.content_hash, Path(event.lang) / "evenements" / f"{event.slug}.md")
              for event in db.scalars(select(LifeEvent))]
    return ContentSet(fiches, events)


def check_fiche(db: Session, text: str, slug: str, lang: str = "fr") -> tuple[FicheSource | None, list[tuple[str, str]]]:
    """The loader's validation of a fiche written in the back office: (fiche, [(key, sentence)])."""
    return check_fiche_text(text, slug, lang, references(), database_content(db))


def publish(db: Session, text: str, slug: str, lang: str = "fr") -> Fiche:
    """Validate, then put online (raises ContentError with the problems); the caller commits."""
    source, problems = check_fiche(db, text, slug, lang)
    if problems or source is None:
        raise ContentError([(f"{lang}/{slug}.md", where, sentence) for where, sentence in problems])
    source = replace(source, from_file=False)
    meta = source.meta
    document = None if meta.get("archived") else {
        "title": meta["title"], "summary": meta["summary"],
        "text": " ".join([meta["summary"], " ".join(meta.get("keywords") or []), searchable(source.body_md)])}
    return publish_fiche(db, source, load_vocabulary(), document)


TAG_RE = re.compile(r"<[^>]+>")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def searchable(markdown: str) -> str:
    """The words of a Markdown text, without HTML tags nor link addresses."""
    return LINK_TARGET_RE.sub("]", TAG_RE.sub("", markdown))


def search_documents(db: Session, content: ContentSet) -> list[dict]:
    documents = []
    for source in _online(content.fiches):
        meta = source.meta
        documents.append({"kind": "fiche", "slug": source.slug, "lang": source.lang, "title": meta["title"],
                          "summary": meta["summary"],
                          "text": " ".join([meta["summary"], " ".join(meta.get("keywords") or []),
                                           searchable(source.body_md)])})
    for source in content.events:
        documents.append({"kind": "evenement", "slug": source.slug, "lang": source.lang, "title": source.title,
                          "summary": searchable(source.intro_md), "text": searchable(source.intro_md)})
    for lang in ("fr", "en"):
        for demarche in catalogue().all():
            documents.append({"kind": "demarche", "slug": demarche.slug, "lang": lang, "title": demarche.title,
                              "summary": demarche.description,
                              "text": " ".join([demarche.description, *demarche.what_you_need])})
        if lang == "en":
            documents += _french_fallbacks(content)
    return documents


def _online(fiches: list[FicheSource]) -> list[FicheSource]:
    """Archived fiches (archived in French, with their translations) are not searchable."""
    gone = {source.slug for source in fiches if source.lang == "fr" and source.meta.get("archived")}
    return [source for source in fiches if source.slug not in gone]


def _french_fallbacks(content: ContentSet) -> list[dict]:
    """English visitors can also find pages that exist only in French."""
    translated = {(source.slug, source.lang) for source in content.fiches + content.events}
    fallbacks = []
    for source in _online(content.fiches):
        if source.lang == "fr" and (source.slug, "en") not in translated:
            fallbacks.append({"kind": "fiche", "slug": source.slug, "lang": "en", "title": source.meta["title"],
                              "summary": source.meta["summary"], "text": searchable(source.body_md)})
    for source in content.events:
        if source.lang == "fr" and (source.slug, "en") not in translated:
            fallbacks.append({"kind": "evenement", "slug": source.slug, "lang": "en", "title": source.title,
                              "summary": searchable(source.intro_md), "text": searchable(source.intro_md)})
    return fallbacks


def fiche_exists(db: Session, slug: str) -> bool:
    return db.scalar(select(Fiche.id).where(Fiche.slug == slug).limit(1)) is not None
