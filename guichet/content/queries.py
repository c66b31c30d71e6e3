"""Read content for pages: a translated version when it exists, else the French one."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from guichet.content.models import Fiche, LifeEvent


def _pick(rows: list, lang: str):
    by_lang = {row.lang: row for row in rows}
    return by_lang.get(lang) or by_lang.get("fr")


def fiche(db: Session, slug: str, lang: str) -> Fiche | None:
    return _pick(list(db.scalars(select(Fiche).where(Fiche.slug == slug))), lang)


def event(db: Session, slug: str, lang: str) -> LifeEvent | None:
    return _pick(list(db.scalars(select(LifeEvent).where(LifeEvent.slug == slug))), lang)


def events(db: Session, lang: str) -> list[LifeEvent]:
    rows = list(db.scalars(select(LifeEvent).order_by(LifeEvent.position)))
    slugs = dict.fromkeys(row.slug for row in rows)
    return [_pick([row for row in rows if row.slug == slug], lang) for slug in slugs]


def archived(fiche: Fiche) -> dict | None:
    """The fiche's archiving ({"replacement": slug or None, "reason": …}); None while it is online."""
    return fiche.meta.get("archived") or None


def fiches(db: Session, lang: str) -> list[Fiche]:
    """The fiches online: archived ones (archived in French, with their translations) are left out of
    lists, links and the sitemap."""
    rows = list(db.scalars(select(Fiche).order_by(Fiche.slug)))
    gone = {row.slug for row in rows if archived(row) is not None}
    rows = [row for row in rows if row.slug not in gone]
    slugs = dict.fromkeys(row.slug for row in rows)
    picked = [_pick([row for row in rows if row.slug == slug], lang) for slug in slugs]
    return sorted(picked, key=lambda row: row.title.lower())


def archiving(db: Session, slug: str) -> dict | None:
    """A fiche is archived through its French version; its translations follow."""
    french = db.scalar(select(Fiche).where(Fiche.slug == slug, Fiche.lang == "fr"))
    return archived(french) if french is not None else None


def fiche_titles(db: Session, lang: str) -> dict[str, str]:
    return {row.slug: row.title for row in fiches(db, lang)}
