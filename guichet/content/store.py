"""Upsert validated content into the database, keep versions, and rebuild the search index."""
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from guichet.content.loader import ContentSet
from guichet.content.models import ContentVersion, Fiche, FicheVersion, LifeEvent, SearchEntry
from guichet.content.render import link_glossary_terms, markdown_to_html
from guichet.content.textfold import fold
from guichet.db import utcnow


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def store_content(db: Session, content: ContentSet, vocabulary) -> LoadResult:
    """Write content in one transaction: either everything is loaded, or nothing changes."""
    result = LoadResult()
    for source in content.events:
        _upsert_event(db, source)
    for source in content.fiches:
        outcome = _upsert_fiche(db, source, vocabulary)
        setattr(result, outcome, getattr(result, outcome) + 1)
    _remove_missing(db, content)
    bump_version(db)
    db.flush()
    return result


def bump_version(db: Session) -> None:
    """Every load, even an unchanged one, moves the version: cached pages are rebuilt from the database."""
    row = db.get(ContentVersion, 1)
    if row is None:
        db.add(ContentVersion(id=1, version=1))
    else:
        row.version += 1


def current_version(db: Session) -> int:
    return db.scalar(select(ContentVersion.version).where(ContentVersion.id == 1)) or 0


def _upsert_event(db: Session, source) -> None:
    event = db.scalar(select(LifeEvent).where(LifeEvent.slug == source.slug, LifeEvent.lang == source.lang))
    if event is None:
        event = LifeEvent(slug=source.slug, lang=source.lang)
        db.add(event)
    event.title = source.title
    event.intro_html = markdown_to_html(source.intro_md)
    event.pictogram = source.pictogram
    event.position = source.position
    event.phases = source.phases
    if event.content_hash != source.content_hash:
        event.content_hash = source.content_hash
        event.updated_at = utcnow()


def _upsert_fiche(db: Session, source, vocabulary) -> str:
    html = markdown_to_html(source.body_md)
    if source.lang == "fr":
        html = link_glossary_terms(html, vocabulary)
    fiche = db.scalar(select(Fiche).where(Fiche.slug == source.slug, Fiche.lang == source.lang))
    outcome = "unchanged"
    if fiche is None:
        fiche = Fiche(slug=source.slug, lang=source.lang, version=0, content_hash="")
        db.add(fiche)
        outcome = "created"
    if fiche.content_hash != source.content_hash:
        outcome = "updated" if outcome == "unchanged" else outcome
        fiche.version += 1
        fiche.content_hash = source.content_hash
        fiche.updated_at = utcnow()
        fiche.versions.append(FicheVersion(version=fiche.version, content_hash=source.content_hash,
                                           source=source.source_text))
    if source.from_file:
        fiche.file_hash = source.content_hash
    fiche.title = source.meta["title"]
    fiche.summary = source.meta["summary"]
    fiche.meta = source.meta
    fiche.body_md = source.body_md
    fiche.verified = source.meta["verified"]
    fiche.html = html
    return outcome


def _remove_missing(db: Session, content: ContentSet) -> None:
    """Content removed from the files is removed from the site (its versions go with it)."""
    present = {(fiche.slug, fiche.lang) for fiche in content.fiches}
    for fiche in db.scalars(select(Fiche)):
        if (fiche.slug, fiche.lang) not in present:
            db.delete(fiche)
    present_events = {(event.slug, event.lang) for event in content.events}
    for event in db.scalars(select(LifeEvent)):
        if (event.slug, event.lang) not in present_events:
            db.delete(event)


def publish_fiche(db: Session, source, vocabulary, document: dict | None) -> Fiche:
    """Put a fiche written in the back office online: its row, its search entry (none when `document` is
    None: an archived fiche), and a new content version, so every worker's stored pages are rebuilt."""
    _upsert_fiche(db, source, vocabulary)
    # An archived fiche leaves the search with its translations and English fallback.
    gone = [SearchEntry.lang == source.lang] if document is not None else []
    db.execute(delete(SearchEntry).where(SearchEntry.kind == "fiche", SearchEntry.slug == source.slug, *gone))
    if document is not None:
        db.add(SearchEntry(kind="fiche", slug=source.slug, lang=source.lang, title=document["title"],
                           summary=document["summary"], folded_title=fold(document["title"]),
                           folded_text=fold(document["text"])))
    bump_version(db)
    db.flush()
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("INSERT INTO search_fts(search_fts) VALUES('rebuild')"))
    return db.scalar(select(Fiche).where(Fiche.slug == source.slug, Fiche.lang == source.lang))


def published_source(fiche: Fiche) -> str:
    """The file text of what citizens see."""
    return fiche.versions[-1].source


def rebuild_search_index(db: Session, documents: list[dict]) -> None:
    """Replace the search documents; SQLite's FTS5 mirror is rebuilt, PostgreSQL's tsvector is generated."""
    db.execute(delete(SearchEntry))
    for document in documents:
        db.add(SearchEntry(kind=document["kind"], slug=document["slug"], lang=document["lang"],
                           title=document["title"], summary=document["summary"],
                           folded_title=fold(document["title"]), folded_text=fold(document["text"])))
    db.flush()
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("INSERT INTO search_fts(search_fts) VALUES('rebuild')"))
