"""Editions of fiches: the list, the working draft, review actions and publication, history.

The published text lives in the content tables (what citizens see); each edition keeps every version
of its file text here. A fiche loaded or changed by `flask content load` gets its version on the next
look (`sync`), authored by nobody ("fichiers").
"""
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guichet.content import queries
from guichet.content import service as content_service
from guichet.content.errors import ContentError
from guichet.content.frontmatter import FrontMatterError, compose, split
from guichet.content.loader import SECTIONS
from guichet.content.models import Fiche
from guichet.content.store import published_source
from guichet.db import utcnow
from guichet.editorial import workflow
from guichet.editorial.checking import check_source
from guichet.editorial.models import Edition, EditionVersion
from guichet.feedback.models import FeedbackVote, Report
from guichet.staff.models import StaffMember

ENGLISH_STATES = {"absente": _l("Pas de version anglaise"), "a_jour": _l("À jour"),
                  "a_revoir": _l("À mettre à jour : le français a changé depuis")}
REVIEW_AFTER_DAYS = 365
FEEDBACK_DAYS = 30


class StaleDraft(Exception):
    """Someone else changed the draft since this form was opened."""

    def __init__(self, current: EditionVersion | None):
        super().__init__("stale draft")
        self.current = current


class Refused(Exception):
    """An action the workflow or the checks refuse; the message is for the person."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync(db: Session) -> None:
    """One edition per French fiche, whose last published version is what citizens see."""
    editions = {edition.slug: edition for edition in db.scalars(select(Edition).where(Edition.lang == "fr"))}
    for fiche in db.scalars(select(Fiche).where(Fiche.lang == "fr")):
        edition = editions.get(fiche.slug)
        if edition is None:
            edition = Edition(slug=fiche.slug, lang="fr", lock=0, needs_review=False)
            db.add(edition)
        current = published(edition)
        if current is None or _digest(current.source) != fiche.content_hash:
            if current is not None:
                current.status = "remplacee"
            edition.versions.append(EditionVersion(number=_next_number(edition), source=published_source(fiche),
                                                   status="publiee", note="", published_at=fiche.updated_at,
                                                   created_at=fiche.updated_at, updated_at=fiche.updated_at))
    db.flush()


def _next_number(edition: Edition) -> int:
    return max((version.number for version in edition.versions), default=0) + 1


def published(edition: Edition) -> EditionVersion | None:
    return next((v for v in reversed(edition.versions) if v.status == "publiee"), None)


def draft(edition: Edition) -> EditionVersion | None:
    return next((v for v in edition.versions if v.status in workflow.DRAFT_STATES), None)


def version(edition: Edition, number: int) -> EditionVersion | None:
    return next((v for v in edition.versions if v.number == number), None)


def current_text(edition: Edition) -> EditionVersion:
    """What an editor works on: the draft, else the published version."""
    return draft(edition) or published(edition)


def owner_service(edition: Edition) -> str:
    try:
        meta, _body, _line = split(current_text(edition).source)
    except FrontMatterError:
        return ""
    return str(meta.get("owner_service") or "")


def find(db: Session, slug: str) -> Edition | None:
    return db.scalar(select(Edition).where(Edition.slug == slug, Edition.lang == "fr"))


@dataclass(frozen=True)
class Row:
    edition: Edition
    title: str
    state: str
    service: str
    verified: date | None
    to_review: bool
    last_editor: str
    score: float | None
    reports: int
    no_votes: int
    english: str  # "absente" | "a_jour" | "a_revoir": the French changed after the English was written


def rows(db: Session, today: date) -> list[Row]:
    """Every fiche with what the list shows; scores are computed by the checker (~25 ms a fiche)."""
    sync(db)
    since = utcnow() - timedelta(days=FEEDBACK_DAYS)
    reports = dict(db.execute(select(Report.page, func.count()).where(Report.created_at >= since)
                              .group_by(Report.page)).all())
    votes = dict(db.execute(select(FeedbackVote.page, func.count()).where(FeedbackVote.created_at >= since,
                                                                          FeedbackVote.useful.is_(False))
                            .group_by(FeedbackVote.page)).all())
    updated = {(fiche.slug, fiche.lang): fiche.updated_at for fiche in db.scalars(select(Fiche))}
    found = []
    for edition in db.scalars(select(Edition).where(Edition.lang == "fr").order_by(Edition.slug)):
        text = current_text(edition)
        meta = _meta(text.source)
        verified = _date(meta.get("verified"))
        editor = text.author
        page = f"/fiches/{edition.slug}"
        found.append(Row(edition, str(meta.get("title") or edition.slug), state_of(edition),
                         str(meta.get("owner_service") or ""), verified,
                         verified is None or (today - verified).days > REVIEW_AFTER_DAYS,
                         (editor.name or editor.email) if editor else "",
                         _score(text.source, edition.slug), reports.get(page, 0), votes.get(page, 0),
                         english_status(updated.get((edition.slug, "fr")), updated.get((edition.slug, "en")))))
    return found


def english_status(french_updated, english_updated) -> str:
    if english_updated is None:
        return "absente"
    return "a_revoir" if french_updated is not None and french_updated > english_updated else "a_jour"


@lru_cache(maxsize=512)
def _score(source: str, slug: str) -> float | None:
    return check_source(source, slug).score


def state_of(edition: Edition) -> str:
    current, online = draft(edition), published(edition)
    return workflow.edition_state(online is not None, current.status if current else None,
                                  online is not None and bool(_meta(online.source).get("archived")))


def _meta(source: str) -> dict:
    try:
        return split(source)[0]
    except FrontMatterError:
        return {}


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def skeleton(lang: str = "fr") -> str:
    """A new fiche's body: the sections in their required order."""
    first, steps, *others = SECTIONS[lang]
    return "\n\n".join([f"## {first}\n\n", f"## {steps}\n\n1. \n2. ", *(f"## {title}\n\n" for title in others)])


def create(db: Session, slug: str, source: str, author: StaffMember, note: str) -> Edition:
    edition = Edition(slug=slug, lang="fr", lock=1, needs_review=False)
    edition.versions.append(EditionVersion(number=1, source=source, status="brouillon", author=author, note=note))
    db.add(edition)
    db.flush()
    return edition


def save_draft(db: Session, edition: Edition, source: str, author: StaffMember, note: str, lock: int) -> EditionVersion:
    """Write the working draft (a new one from the published version if none); refused when stale."""
    if lock != edition.lock:
        raise StaleDraft(draft(edition))
    current = draft(edition)
    if current is None:
        current = EditionVersion(number=_next_number(edition), status="brouillon")
        edition.versions.append(current)
    elif current.status != "brouillon":
        raise Refused("Cette version est en relecture : le relecteur doit la renvoyer avant une modification.")
    current.source, current.author, current.note, current.updated_at = source, author, note, utcnow()
    edition.lock += 1
    db.flush()
    return current


def restore(db: Session, edition: Edition, number: int, author: StaffMember) -> EditionVersion:
    """An old version becomes the working draft (replacing the text of a draft in progress)."""
    old = version(edition, number)
    if old is None:
        raise Refused("Cette version n'existe pas.")
    return save_draft(db, edition, old.source, author, f"Reprise de la version {number}", edition.lock)


def add_image(db: Session, edition: Edition, image: dict, author: StaffMember, lock: int) -> EditionVersion:
    """The working text with one more image in its header, saved as the draft."""
    source = current_text(edition).source
    try:
        meta, body, _line = split(source)
    except FrontMatterError:
        raise Refused("L'en-tête de la fiche est illisible : corrigez-le avant d'ajouter une image.") from None
    meta["images"] = [*(meta.get("images") or []), image]
    return save_draft(db, edition, compose(meta, body), author, f"Image ajoutée : {image['file']}", lock)


def blocking_problems(db: Session, edition: Edition, source: str) -> list[str]:
    """What stops publication: the loader's validation, then the checker's errors."""
    _fiche, problems = content_service.check_fiche(db, source, edition.slug, edition.lang)
    sentences = [f"{where} : {sentence}" for where, sentence in problems]
    result = check_source(source, edition.slug)
    if result.errors:
        sentences.append(f"Le vérificateur de langage clair signale {result.errors} erreur(s).")
    return sentences


def _publish(db: Session, edition: Edition, current: EditionVersion) -> None:
    """Put the version online through the loader's validation; raises Refused with what blocks it."""
    problems = blocking_problems(db, edition, current.source)
    if problems:
        raise Refused("Publication impossible : " + " ; ".join(problems))
    content_service.publish(db, current.source, edition.slug, edition.lang)
    previous = published(edition)
    if previous is not None:
        previous.status = "remplacee"
    current.published_at = utcnow()


def act(db: Session, edition: Edition, name: str, member: StaffMember, text: str, lock: int,
        publish_at: datetime | None = None) -> EditionVersion:
    """Apply a workflow action to the working draft; publication goes through the loader's validation."""
    action = workflow.ACTIONS.get(name)
    current = draft(edition)
    if action is None or current is None:
        raise Refused("Cette action n'est pas possible sur cette fiche.")
    if lock != edition.lock:
        raise StaleDraft(current)
    if not workflow.allowed(action, member, owner_service(edition), current.status, current.author_id):
        raise Refused("Vous ne pouvez pas faire cette action sur cette version.")
    if action.text is not None and not text.strip():
        raise Refused("Écrivez un texte pour expliquer votre choix.")
    if action.scheduled:
        if publish_at is None or publish_at <= utcnow():
            raise Refused("Choisissez une date et une heure de publication à venir.")
        problems = blocking_problems(db, edition, current.source)
        if problems:
            raise Refused("Publication impossible : " + " ; ".join(problems))
        current.publish_at = publish_at
    if action.publishes:
        _publish(db, edition, current)
        edition.needs_review = name == "forcer"
    if action.publishes or action.scheduled or name == "renvoyer":
        current.reviewer = member
    if action.text is not None:
        current.review_comment = text.strip()
    current.status = action.target
    edition.lock += 1
    db.flush()
    return current


def replacements(db: Session, slug: str) -> dict[str, str]:
    """The fiches that may replace an archived one: online in French, not itself; slug → title."""
    return {fiche.slug: fiche.title for fiche in queries.fiches(db, "fr") if fiche.slug != slug}


def archive(db: Session, edition: Edition, member: StaffMember, replacement: str, reason: str) -> EditionVersion:
    """Publish the fiche's text marked `archived` (front matter, so export and load keep it): its address
    then redirects to `replacement`, or answers 410 when there is none."""
    online = published(edition)
    if not workflow.may_archive(member, owner_service(edition), state_of(edition)):
        raise Refused("Vous ne pouvez pas archiver cette fiche : seule une fiche publiée, sans version en cours, "
                      "peut l'être, par une personne qui relit pour son service ou un administrateur.")
    if replacement == edition.slug:
        raise Refused("Une fiche ne peut pas se remplacer elle-même : choisissez une autre fiche ou « Aucune ».")
    if replacement and replacement not in replacements(db, edition.slug):
        raise Refused("Cette fiche de remplacement n'existe pas ou n'est pas publiée : choisissez-en une dans la liste.")
    if not reason.strip():
        raise Refused("Écrivez pourquoi vous archivez cette fiche.")
    meta, body, _line = split(online.source)
    meta["archived"] = {"replacement": replacement or None, "reason": reason.strip()}
    source = compose(meta, body)
    try:
        content_service.publish(db, source, edition.slug, edition.lang)
    except ContentError as error:
        raise Refused(f"Archivage impossible : {error}") from None
    online.status = "remplacee"
    archived = EditionVersion(number=_next_number(edition), source=source, status="publiee", author=member,
                              reviewer=member, note=f"Archivée : {reason.strip()}", published_at=utcnow())
    edition.versions.append(archived)
    edition.lock += 1
    db.flush()
    return archived


def publish_due(db: Session, now: datetime) -> tuple[int, int]:
    """The worker's run: publish the scheduled versions whose time has come. One that the checks now
    refuse goes back to draft with the reason; returns (published, sent back)."""
    done = returned = 0
    scheduled = db.scalars(select(EditionVersion).where(EditionVersion.status == "programmee",
                                                        EditionVersion.publish_at <= now))
    for current in list(scheduled):
        edition = current.edition
        try:
            _publish(db, edition, current)
        except Refused as refused:
            current.status, current.review_comment = "brouillon", str(refused)
            returned += 1
        else:
            current.status = "publiee"
            edition.needs_review = False
            done += 1
        edition.lock += 1
    db.flush()
    return done, returned


def citizen_feedback(db: Session, slug: str) -> tuple[list[Report], list[FeedbackVote]]:
    """Difficulty reports and "non" votes on this fiche's page in the last 30 days, newest first."""
    since = utcnow() - timedelta(days=FEEDBACK_DAYS)
    page = f"/fiches/{slug}"
    reports = list(db.scalars(select(Report).where(Report.page == page, Report.created_at >= since)
                              .order_by(Report.created_at.desc())))
    votes = list(db.scalars(select(FeedbackVote).where(FeedbackVote.page == page, FeedbackVote.useful.is_(False),
                                                       FeedbackVote.created_at >= since)
                            .order_by(FeedbackVote.created_at.desc())))
    return reports, votes
