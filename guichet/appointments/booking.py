"""Booking, moving and cancelling appointments; the free days and times a person is offered.

Never two bookings for one slot: each booking inserts a row for the lowest free desk, and the unique
index (service, start, desk) over appointments not cancelled refuses a second row. A refused insert
tries the next desk; when every desk is taken the booking fails with SlotTaken, which carries the free
times still on offer.
"""
import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guichet.appointments.models import Appointment, Closure, OpeningPattern
from guichet.appointments.slots import Slot, bookable_days, day_slots, free_slots, is_closed, overlaps
from guichet.content import store as content_store
from guichet.db import utcnow
from guichet.requests.deadlines import CountingRules

PARIS = ZoneInfo("Europe/Paris")


class SlotUnavailable(Exception):
    """Not a slot of this service (unknown time, closed day, in the past, too far ahead)."""


class SlotTaken(Exception):
    """Every desk of the slot was taken, maybe a second ago; `alternatives` are the free slots of the day."""

    def __init__(self, alternatives: list[Slot]):
        super().__init__("slot taken")
        self.alternatives = alternatives


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    email: str | None
    subject: str = ""


def _alsace_moselle() -> bool:
    """The settings' extra public holidays (Alsace-Moselle), as for legal deadlines."""
    return CountingRules.from_settings(current_app.config["SETTINGS"]).alsace_moselle


def local_now() -> datetime:
    """The town's wall-clock time, as slots are stored."""
    return datetime.now(PARIS).replace(tzinfo=None, microsecond=0)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Reading slots -----------------------------------------------------------------------------------

def openings(db: Session, service: str) -> list[OpeningPattern]:
    return list(db.scalars(select(OpeningPattern).where(OpeningPattern.service == service)
                           .order_by(OpeningPattern.weekday, OpeningPattern.opens)))


def closures(db: Session, service: str) -> list[Closure]:
    return list(db.scalars(select(Closure).where(Closure.service == service).order_by(Closure.day)))


def services_with_openings(db: Session) -> list[str]:
    return list(db.scalars(select(OpeningPattern.service).distinct().order_by(OpeningPattern.service)))


def _booked(db: Session, service: str, first: date, last: date) -> Counter:
    rows = db.execute(select(Appointment.start, func.count()).where(
        Appointment.service == service, Appointment.cancelled_at.is_(None),
        Appointment.start >= datetime.combine(first, datetime.min.time()),
        Appointment.start < datetime.combine(last + timedelta(days=1), datetime.min.time()),
    ).group_by(Appointment.start))
    return Counter({start: count for start, count in rows})


def slots_of(db: Session, service: str, day: date) -> list[Slot]:
    """Every slot of that day, free or not."""
    closed = is_closed(day, [closure.day for closure in closures(db, service)], _alsace_moselle())
    return day_slots(openings(db, service), day, closed)


def free_times(db: Session, service: str, day: date, now: datetime) -> list[Slot]:
    """The free slots of one day; none outside the booking horizon."""
    if day not in bookable_days(now.date()):
        return []
    return free_slots(slots_of(db, service, day), _booked(db, service, day, day), now)


def free_days(db: Session, service: str, now: datetime) -> list[tuple[date, int]]:
    """The days with at least one free slot, each with how many free times it has."""
    days = bookable_days(now.date())
    patterns = openings(db, service)
    closed = {closure.day for closure in closures(db, service)}
    booked = _booked(db, service, days[0], days[-1])
    found = []
    for day in days:
        free = free_slots(day_slots(patterns, day, is_closed(day, closed, _alsace_moselle())), booked, now)
        if free:
            found.append((day, len(free)))
    return found


def find_slot(db: Session, service: str, start: datetime, now: datetime) -> Slot:
    """The slot starting at `start`, if it exists and is still ahead; SlotUnavailable otherwise."""
    if start <= now or start.date() not in bookable_days(now.date()):
        raise SlotUnavailable(start)
    for slot in slots_of(db, service, start.date()):
        if slot.start == start:
            return slot
    raise SlotUnavailable(start)


# --- Changing bookings ---------------------------------------------------------------------------------

def _taken_desks(db: Session, service: str, start: datetime, but: int | None = None) -> set[int]:
    query = select(Appointment.desk).where(Appointment.service == service, Appointment.start == start,
                                           Appointment.cancelled_at.is_(None))
    if but is not None:
        query = query.where(Appointment.id != but)
    return set(db.scalars(query))


def _place(db: Session, slot: Slot, service: str, appointment: Appointment, now: datetime) -> None:
    """Put the appointment on the lowest free desk of the slot (inserted or updated), under the unique constraint."""
    for desk in range(1, slot.desks + 1):
        if desk in _taken_desks(db, service, slot.start, but=appointment.id):
            continue
        try:
            with db.begin_nested():
                appointment.start, appointment.minutes, appointment.desk = slot.start, slot.minutes, desk
                db.add(appointment)
                db.flush()
            return
        except IntegrityError:
            continue  # another booking took this desk between our read and our write
    raise SlotTaken(free_times(db, service, slot.start.date(), now))


def book(db: Session, service: str, start: datetime, person: Person, now: datetime, *, origin: str | None = None,
         lang: str = "fr", booked_by: int | None = None) -> tuple[Appointment, str]:
    """Book the slot; returns the appointment and the secret of its link (the caller commits)."""
    slot = find_slot(db, service, start, now)
    token = secrets.token_urlsafe(24)
    appointment = Appointment(service=service, name=person.name, phone=person.phone, email=person.email,
                              subject=person.subject, origin=origin, lang=lang, token_hash=hash_token(token),
                              booked_by_id=booked_by)
    _place(db, slot, service, appointment, now)
    return appointment, token


def move(db: Session, appointment: Appointment, start: datetime, now: datetime) -> None:
    """Move to another slot of the same service; the old slot is freed in the same transaction."""
    if appointment.start <= now:
        raise SlotUnavailable(appointment.start)
    slot = find_slot(db, appointment.service, start, now)
    appointment.reminded_at = None
    _place(db, slot, appointment.service, appointment, now)


def by_token(db: Session, token: str) -> Appointment | None:
    """The appointment of a person's link; a cancelled one is gone for the person."""
    if not token or len(token) > 100:
        return None
    return db.scalar(select(Appointment).where(Appointment.token_hash == hash_token(token),
                                               Appointment.cancelled_at.is_(None)))


def cancel(db: Session, appointment: Appointment) -> None:
    """Only the person's link cancels. The row stays for the agents' agenda, marked cancelled: its desk is free
    again for anyone (the unique index leaves cancelled rows out)."""
    appointment.cancelled_at = utcnow()
    db.flush()


def agenda(db: Session, service: str, day: date) -> list[Appointment]:
    """The day's appointments, the cancelled ones too (see `kept`)."""
    start = datetime.combine(day, datetime.min.time())
    return list(db.scalars(select(Appointment).where(
        Appointment.service == service, Appointment.start >= start, Appointment.start < start + timedelta(days=1))
        .order_by(Appointment.start, Appointment.desk)))


def kept(appointments: list[Appointment]) -> list[Appointment]:
    """The appointments that still hold their slot."""
    return [appointment for appointment in appointments if not appointment.cancelled]


def openings_changed(db: Session) -> None:
    """Fiches and start pages show "Prendre rendez-vous" only for a service with openings: stored pages are rebuilt."""
    content_store.bump_version(db)


def add_opening(db: Session, opening: OpeningPattern) -> bool:
    """Add a weekly opening unless it overlaps another of the same service (its slots would count twice)."""
    if any(overlaps(opening, other) for other in openings(db, opening.service)):
        return False
    db.add(opening)
    openings_changed(db)
    return True


def remove_opening(db: Session, service: str, opening_id: int) -> bool:
    """Booked appointments stay: the agenda still shows them, the person keeps their slot."""
    removed = db.execute(delete(OpeningPattern).where(OpeningPattern.id == opening_id,
                                                      OpeningPattern.service == service)).rowcount
    if removed:
        openings_changed(db)
    return bool(removed)


def due_reminders(db: Session, now: datetime) -> list[Appointment]:
    """Tomorrow's appointments with an email address and no reminder yet."""
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    return list(db.scalars(select(Appointment).where(
        Appointment.start >= tomorrow, Appointment.start < tomorrow + timedelta(days=1), Appointment.email.is_not(None),
        Appointment.reminded_at.is_(None), Appointment.cancelled_at.is_(None)).order_by(Appointment.start)))


def ensure_demo_openings(db: Session, service: str) -> bool:
    """Development: the état civil takes appointments (identity papers) on weekday mornings, unless set already."""
    if openings(db, service):
        return False
    for weekday in range(5):
        db.add(OpeningPattern(service=service, weekday=weekday, opens=time(9), closes=time(12), slot_minutes=20,
                              desks=2))
    openings_changed(db)
    return True


KEPT_AFTER_DAYS = 92  # an appointment's name and phone are kept 3 months after its day, then erased


def purge_past(db: Session, now: datetime) -> int:
    """Erase appointments whose day is more than KEPT_AFTER_DAYS behind (the caller commits)."""
    limit = datetime.combine(now.date() - timedelta(days=KEPT_AFTER_DAYS), datetime.min.time())
    return db.execute(delete(Appointment).where(Appointment.start < limit)).rowcount
