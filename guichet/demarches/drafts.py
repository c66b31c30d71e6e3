"""Drafts: answers kept server-side, reached through a random id in a cookie scoped to the démarche.

Two clocks. On a shared computer (the person said so at the start, or a help point made it the
default), after `DRAFT_IDLE_MINUTES` without activity the cookie no longer opens the draft (it can
only be resumed with its code, if one was made). Elsewhere no timer takes answers away (WCAG 2.2.6):
the cookie keeps the draft open for its whole life. After `DRAFT_LIFETIME_DAYS` every draft is purged.
A help point's computer has the shorter `HELP_POINT_IDLE_MINUTES`. A practice draft is shared too, cannot
be saved with a code, and is erased when the practice ends (or by the purge once idle): nothing stays.
"""
import secrets
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from flask import Response, current_app, request
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.demarches import storage
from guichet.demarches.models import Draft, StoredFile

COOKIE_PREFIX = "brouillon-"
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no B/8, O/0, I/1, S/5, Z/2: easy to read aloud and copy
CODE_LENGTH = 8


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["DRAFT_IDLE_MINUTES"])


def idle_minutes(draft: Draft) -> int:
    """The idle limit of this draft: shorter at a help point, where the next person is waiting."""
    return current_app.config["HELP_POINT_IDLE_MINUTES" if draft.help_point else "DRAFT_IDLE_MINUTES"]


def lifetime() -> timedelta:
    return timedelta(days=current_app.config["DRAFT_LIFETIME_DAYS"])


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; everything here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def create(db: Session, slug: str, version: str, answers: dict | None = None,
           rectifies_id: int | None = None, shared: bool = False, help_point: bool = False,
           practice: bool = False) -> Draft:
    """A help point's or a practice draft is always a shared computer's."""
    now = utcnow()
    draft = Draft(id=secrets.token_urlsafe(32), demarche=slug, definition_version=version,
                  answers=answers or {}, rectifies_id=rectifies_id, created_at=now, last_seen_at=now,
                  expires_at=now + lifetime(), shared=shared or help_point or practice, help_point=help_point,
                  practice=practice)
    db.add(draft)
    return draft


def cookie_name(slug: str) -> str:
    """One cookie per démarche, sent site-wide so a difficulty report can keep what was typed."""
    return COOKIE_PREFIX + slug


def looks_like_id(value: str) -> bool:
    return len(value) == 43 and all(char.isalnum() or char in "-_" for char in value)


def from_cookie(db: Session, slug: str) -> Draft | None:
    draft_id = request.cookies.get(cookie_name(slug))
    if not draft_id or not looks_like_id(draft_id):
        return None
    draft = db.get(Draft, draft_id)
    if draft is None or draft.demarche != slug or _aware(draft.expires_at) < utcnow():
        return None
    return draft


def deadline_for(last_seen_at: datetime, shared: bool, limit: timedelta) -> datetime | None:
    """Only a shared computer has an idle deadline; on a person's own device answers wait for them."""
    return _aware(last_seen_at) + limit if shared else None


def idle_deadline(draft: Draft) -> datetime | None:
    return deadline_for(draft.last_seen_at, draft.shared, timedelta(minutes=idle_minutes(draft)))


def is_idle(draft: Draft) -> bool:
    deadline = idle_deadline(draft)
    return deadline is not None and utcnow() > deadline


def seconds_left(draft: Draft) -> float | None:
    deadline = idle_deadline(draft)
    return None if deadline is None else (deadline - utcnow()).total_seconds()


def touch(draft: Draft) -> None:
    """Only a shared computer's idle deadline reads the last activity: elsewhere a step view writes nothing."""
    if draft.shared:
        draft.last_seen_at = utcnow()


def set_cookie(response: Response, draft: Draft) -> None:
    """On a shared computer the cookie ends with the browser; elsewhere it lasts as long as the draft."""
    response.set_cookie(cookie_name(draft.demarche), draft.id, httponly=True, samesite="Lax",
                        expires=None if draft.shared else _aware(draft.expires_at),
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


def clear_cookie(response: Response, slug: str) -> None:
    response.delete_cookie(cookie_name(slug), httponly=True, samesite="Lax",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])


def new_code(db: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.scalar(select(Draft.id).where(Draft.resume_code == code)) is None:
            return code


def normalise_code(typed: str) -> str:
    """People copy codes with spaces, dashes and lower case letters."""
    return "".join(char for char in (typed or "").upper() if char.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def by_code(db: Session, typed: str) -> Draft | None:
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    draft = db.scalar(select(Draft).where(Draft.resume_code == code))
    if draft is None or _aware(draft.expires_at) < utcnow():
        return None
    return draft


def mark_sent(draft: Draft, request_row, secret: str | None) -> None:
    """Forget the answers (the request holds them now); remember the receipt for a double click."""
    draft.answers = {}
    draft.request_id = request_row.id
    draft.receipt_secret = secret
    draft.resume_code = None


def erase(db: Session, draft: Draft) -> None:
    """Delete a draft and its uploaded files (with the caller's commit)."""
    backend = storage.backend()
    for stored in draft.files:
        backend.delete(db, stored)
    db.delete(draft)


class Purged(NamedTuple):
    drafts: int
    orphan_files: int


def purge(db: Session) -> Purged:
    """Delete drafts past their lifetime, idle drafts of shared computers nobody can resume (no code; a
    practice draft never has one), and orphan files.

    Orphan files go first, while no deletion of this transaction is pending: a file is only
    removed at once if no committed row names it (the others are removed after the commit).
    """
    backend = storage.backend()
    orphan_files = backend.purge_orphans(db)
    now = utcnow()
    stale = list(db.scalars(select(Draft).where(or_(
        Draft.expires_at < now,
        Draft.shared.is_(True) & Draft.resume_code.is_(None) & (Draft.last_seen_at < now - idle_limit())))))
    for draft in stale:
        erase(db, draft)
    orphans = list(db.scalars(select(StoredFile).where(StoredFile.draft_id.is_(None),
                                                       StoredFile.request_id.is_(None))))
    for stored in orphans:
        backend.delete(db, stored)
    db.execute(delete(StoredFile).where(StoredFile.draft_id.is_(None), StoredFile.request_id.is_(None)))
    return Purged(len(stale), orphan_files)
