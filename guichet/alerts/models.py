"""What each staff member wants to be told, and what has already been told (so nothing goes twice)."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class AlertPreference(Base):
    """One staff member's choice for one of their services; without a row, the defaults of guichet.alerts.digests."""

    __tablename__ = "alert_preferences"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True)
    service: Mapped[str] = mapped_column(String(60), primary_key=True)
    new_requests: Mapped[str] = mapped_column(String(12))  # "immediate", "daily" or "none"
    deadlines: Mapped[bool] = mapped_column(Boolean)


class AlertSent(Base):
    """An alert already sent: `kind` and `key` (a day for a digest, a reference for an immediate alert).

    Inserted in the same transaction as the emails, and unique: a second worker, or a second run the same
    day, finds it and sends nothing (or fails its commit and sends nothing)."""

    __tablename__ = "alerts_sent"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
