"""Load the content files into the database: validate everything, then write in one transaction."""
import re

from flask import current_app
from sqlalchemy.orm import Session

from lexicon import load_vocabulary

from guichet.content.loader import ContentSet, References, read_content
from guichet.content.store import LoadResult, rebuild_search_index, store_content
from guichet.demarches.catalogue import catalogue
from guichet.paths import CONTENT_DIR


def references() -> References:
    return References(
        services=set(current_app.config["SETTINGS"]["services"]),
        demarches=catalogue().slugs(),
        glossary={entry.slug for entry in load_vocabulary().entries},
        images_dir=CONTENT_DIR / "images",
    )


def validate() -> ContentSet:
    return read_content(CONTENT_DIR, references())


def load(db: Session) -> LoadResult:
    """Raises ContentError, leaving the database untouched, when any file is invalid."""
    content = validate()
    result = store_content(db, content, load_vocabulary())
    rebuild_search_index(db, search_documents(db, content))
    db.commit()
    return result


TAG_RE = re.compile(r"<[^>]+>")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def searchable(markdown: str) -> str:
    """The words of a Markdown text, without HTML tags nor link addresses."""
    return LINK_TARGET_RE.sub("]", TAG_RE.sub("", markdown))


def search_documents(db: Session, content: ContentSet) -> list[dict]:
    documents = []
    for source in content.fiches:
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


def _french_fallbacks(content: ContentSet) -> list[dict]:
    """English visitors can also find pages that exist only in French."""
    translated = {(source.slug, source.lang) for source in content.fiches + content.events}
    fallbacks = []
    for source in content.fiches:
        if source.lang == "fr" and (source.slug, "en") not in translated:
            fallbacks.append({"kind": "fiche", "slug": source.slug, "lang": "en", "title": source.meta["title"],
                              "summary": source.meta["summary"], "text": searchable(source.body_md)})
    for source in content.events:
        if source.lang == "fr" and (source.slug, "en") not in translated:
            fallbacks.append({"kind": "evenement", "slug": source.slug, "lang": "en", "title": source.title,
                              "summary": searchable(source.intro_md), "text": searchable(source.intro_md)})
    return fallbacks
