"""Opening patterns, closures and bookings of appointments.

Times are wall-clock times in the town (Europe/Paris), stored without a time zone: a slot "mardi 9 h 20"
stays at 9 h 20 across daylight-saving changes. The unique index (service, start, desk) over appointments not
cancelled is what makes two bookings of one slot impossible, whatever the number of servers; a cancelled
appointment stays in the agenda and frees its desk.
"""
from datetime import date, datetime, time

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class OpeningPattern(Base):
    """One weekly opening of a service for appointments: a weekday, hours, slot length, number of desks."""

    __tablename__ = "appointment_patterns"

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(40), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    desks: Mapped[int] = mapped_column(Integer)


class Closure(Base):
    """A day without appointments for a service (public holidays need no row: they are computed)."""

    __tablename__ = "appointment_closures"
    __table_args__ = (UniqueConstraint("service", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


NOT_CANCELLED = text("cancelled_at IS NULL")


class Appointment(Base):
    """A booked slot at one desk. A cancelled one keeps its row (the agents see it) but no longer holds the desk."""

    __tablename__ = "appointments"
    __table_args__ = (Index("uq_appointments_booked_slot", "service", "start", "desk", unique=True,
                            sqlite_where=NOT_CANCELLED, postgresql_where=NOT_CANCELLED),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(40))
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    desk: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str | None] = mapped_column(String(500), nullable=True)  # the page the booking started from
    lang: Mapped[str] = mapped_column(String(5), default="fr")
    # sha256 of the secret in the person's link: the link cancels or moves the appointment.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"),
                                                     nullable=True)
    attended: Mapped[bool | None] = mapped_column(nullable=True)  # None: not marked yet
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None
