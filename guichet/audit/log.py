"""Write, seal and verify the audit trail.

An entry is written in the same transaction as what it records (nothing is logged that did not
happen). Sealing then gives each entry its place in one chain: its hash covers its content and the
previous entry's hash, so a deleted, inserted or edited entry breaks every hash after it. Sealing
runs under a lock (the worker, and `flask audit verify`), so several servers never fork the chain.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from guichet.audit.models import AuditEntry
from guichet.db import utcnow

GENESIS = "0" * 64
UNSEALED_GRACE = timedelta(minutes=10)
ADVISORY_LOCK_KEY = 4242_0001


def record(db: Session, action: str, actor=None, target_type: str | None = None, target_id=None,
           details: dict | None = None, client: str | None = None) -> AuditEntry:
    """Add an entry to the caller's transaction; `actor` is a staff member, a label, or None (a citizen)."""
    entry = AuditEntry(at=utcnow(), action=action, actor_id=getattr(actor, "id", None),
                       actor=getattr(actor, "email", None) or (actor if isinstance(actor, str) else "public"),
                       target_type=target_type, target_id=None if target_id is None else str(target_id),
                       details=details or {}, client=client)
    db.add(entry)
    return entry


def entry_hash(entry: AuditEntry, previous_hash: str) -> str:
    content = {
        "position": entry.position, "at": _utc(entry.at).isoformat(), "actor_id": entry.actor_id,
        "actor": entry.actor, "action": entry.action, "target_type": entry.target_type,
        "target_id": entry.target_id, "details": entry.details, "client": entry.client,
    }
    payload = previous_hash + json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def seal(db: Session) -> int:
    """Chain every committed, unsealed entry, in id order; returns how many were sealed. Commits."""
    _lock(db)
    last = db.scalar(select(AuditEntry).where(AuditEntry.position.is_not(None))
                     .order_by(AuditEntry.position.desc()).limit(1))
    position, previous = (last.position, last.hash) if last else (0, GENESIS)
    pending = list(db.scalars(select(AuditEntry).where(AuditEntry.position.is_(None)).order_by(AuditEntry.id)))
    for entry in pending:
        position += 1
        entry.position = position
        entry.previous_hash = previous
        entry.hash = entry_hash(entry, previous)
        previous = entry.hash
    db.commit()
    return len(pending)


@dataclass
class Problem:
    position: int | None
    message: str


def verify(db: Session, now: datetime | None = None) -> list[Problem]:
    """Recompute the chain; each problem names where it breaks."""
    now = now or utcnow()
    problems: list[Problem] = []
    previous, expected_position = GENESIS, 1
    for entry in db.scalars(select(AuditEntry).where(AuditEntry.position.is_not(None))
                            .order_by(AuditEntry.position)):
        if entry.position != expected_position:
            problems.append(Problem(entry.position, f"entries {expected_position} to {entry.position - 1} are missing"))
        if entry.previous_hash != previous:
            problems.append(Problem(entry.position, "the link to the previous entry is broken"))
        if entry.hash != entry_hash(entry, entry.previous_hash or ""):
            problems.append(Problem(entry.position, "the entry was changed after it was sealed"))
        previous, expected_position = entry.hash, entry.position + 1
    stale = db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.position.is_(None), AuditEntry.at < now - UNSEALED_GRACE))
    if stale:
        problems.append(Problem(None, f"{stale} entries older than {UNSEALED_GRACE} are not sealed"))
    return problems


def _lock(db: Session) -> None:
    """One sealer at a time: an advisory lock on PostgreSQL; SQLite's single writer does the same."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    else:
        db.execute(text("UPDATE audit_entries SET id = id WHERE 0"))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
