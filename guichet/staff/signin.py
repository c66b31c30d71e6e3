"""Sign-in rules: lock-out after repeated failures, server-side sessions with idle and absolute limits,
single-use password reset links. Every answer to a failed attempt is the same, whatever the cause."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from guichet.db import utcnow
from guichet.staff import passwords, second_factor
from guichet.staff.models import PasswordReset, RecoveryCode, StaffMember, StaffSession

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=10)
RESET_VALIDITY = timedelta(minutes=30)
SEEN_REFRESH = timedelta(seconds=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_member(db: Session, email: str) -> StaffMember | None:
    return db.scalar(select(StaffMember).where(StaffMember.email == normalise_email(email)))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def is_locked(member: StaffMember, now: datetime) -> bool:
    return member.locked_until is not None and _aware(member.locked_until) > now


def can_sign_in(member: StaffMember | None, now: datetime) -> bool:
    return member is not None and member.disabled_at is None and not is_locked(member, now)


def record_failure(member: StaffMember | None, now: datetime) -> None:
    """Count a failed password or code; the fifth in a row locks the account for a while."""
    if member is None:
        return
    member.failed_attempts += 1
    if member.failed_attempts >= MAX_FAILURES:
        member.locked_until = now + LOCK_DURATION
        member.failed_attempts = 0


def check_password(db: Session, email: str, password: str, now: datetime | None = None) -> StaffMember | None:
    """The member if the password is right and the account may sign in; None otherwise (failure counted)."""
    now = now or utcnow()
    member = find_member(db, email)
    matches = passwords.verify_password(member.password_hash if member else None, password)
    if not can_sign_in(member, now) or not matches:
        if can_sign_in(member, now):
            record_failure(member, now)
        return None
    if passwords.needs_rehash(member.password_hash):
        member.password_hash = passwords.hash_password(password)
    return member


def check_second_factor(db: Session, member: StaffMember, code: str, now: datetime | None = None) -> bool:
    """A TOTP code of the confirmed secret, or an unused recovery code (then spent)."""
    now = now or utcnow()
    if not can_sign_in(member, now) or member.totp_secret is None:
        return False
    step = second_factor.accepted_step(member.totp_secret, code, member.totp_last_step, now.timestamp())
    if step is not None:
        member.totp_last_step = step
        member.failed_attempts = 0
        return True
    recovery = db.scalar(select(RecoveryCode).where(
        RecoveryCode.staff_id == member.id, RecoveryCode.code_hash == second_factor.hash_code(code),
        RecoveryCode.used_at.is_(None)))
    if recovery is not None:
        recovery.used_at = now
        member.failed_attempts = 0
        return True
    record_failure(member, now)
    return False


def replace_recovery_codes(db: Session, member: StaffMember) -> list[str]:
    db.query(RecoveryCode).filter(RecoveryCode.staff_id == member.id).delete()
    codes = second_factor.new_recovery_codes()
    db.add_all(RecoveryCode(staff_id=member.id, code_hash=second_factor.hash_code(code)) for code in codes)
    return codes


def reset_second_factor(db: Session, member: StaffMember) -> None:
    """The next sign-in enrols a new authenticator; old recovery codes stop working."""
    member.totp_secret = None
    member.totp_confirmed_at = None
    member.totp_last_step = None
    db.query(RecoveryCode).filter(RecoveryCode.staff_id == member.id).delete()


# --- Sessions ------------------------------------------------------------------------------------------

def session_state(created_at: datetime, last_seen_at: datetime, ended_at: datetime | None, now: datetime) -> str:
    """"active", or why it is not: "ended" (signed out), "expired" (10 hours), "idle" (30 minutes)."""
    if ended_at is not None:
        return "ended"
    if now - _aware(created_at) >= ABSOLUTE_LIMIT:
        return "expired"
    if now - _aware(last_seen_at) >= IDLE_LIMIT:
        return "idle"
    return "active"


def start_session(db: Session, member: StaffMember, method: str, now: datetime | None = None) -> str:
    """A new random token for the browser (the session is rotated at every sign-in)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.add(StaffSession(token_hash=token_hash(token), staff_id=member.id, method=method, created_at=now,
                        last_seen_at=now))
    member.last_sign_in_at = now
    member.failed_attempts = 0
    return token


def active_session(db: Session, token: str | None, now: datetime | None = None) -> tuple[StaffSession | None, str]:
    """The session of this token and its state; the idle clock is pushed back when it is active."""
    now = now or utcnow()
    if not token:
        return None, "none"
    row = db.scalar(select(StaffSession).where(StaffSession.token_hash == token_hash(token)))
    if row is None:
        return None, "none"
    state = session_state(row.created_at, row.last_seen_at, row.ended_at, now)
    if state == "active" and row.member.disabled_at is not None:
        state = "ended"
    if state != "active":
        return None, state
    if now - _aware(row.last_seen_at) >= SEEN_REFRESH:
        row.last_seen_at = now
    return row, state


def end_session(db: Session, token: str | None, now: datetime | None = None) -> None:
    if token:
        db.execute(update(StaffSession).where(StaffSession.token_hash == token_hash(token),
                                              StaffSession.ended_at.is_(None)).values(ended_at=now or utcnow()))


def end_all_sessions(db: Session, member: StaffMember, now: datetime | None = None) -> None:
    db.execute(update(StaffSession).where(StaffSession.staff_id == member.id, StaffSession.ended_at.is_(None))
               .values(ended_at=now or utcnow()))


# --- Password reset --------------------------------------------------------------------------------------

@dataclass
class ResetLink:
    member: StaffMember
    token: str


def create_reset(db: Session, member: StaffMember, now: datetime | None = None) -> ResetLink:
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.add(PasswordReset(staff_id=member.id, token_hash=token_hash(token), expires_at=now + RESET_VALIDITY))
    return ResetLink(member, token)


def valid_reset(db: Session, token: str, now: datetime | None = None) -> PasswordReset | None:
    now = now or utcnow()
    row = db.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token or "")))
    if row is None or row.used_at is not None or _aware(row.expires_at) <= now:
        return None
    return row


def use_reset(db: Session, reset: PasswordReset, new_password: str, now: datetime | None = None) -> StaffMember:
    """Set the new password, spend the link and every other open link, end every session of the member."""
    now = now or utcnow()
    member = db.get(StaffMember, reset.staff_id)
    member.password_hash = passwords.hash_password(new_password)
    member.failed_attempts = 0
    member.locked_until = None
    db.execute(update(PasswordReset).where(PasswordReset.staff_id == member.id, PasswordReset.used_at.is_(None))
               .values(used_at=now))
    end_all_sessions(db, member, now)
    return member


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
