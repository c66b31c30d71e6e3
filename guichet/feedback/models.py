"""What people tell us without an account: difficulty reports, "utile ?" votes, funnel events."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class Report(Base):
    """A "Signaler une difficulté" report: never holds form answers nor query strings."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    category: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    page: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str] = mapped_column(String(5))
    device: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="nouveau")
    public_answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class FeedbackVote(Base):
    """One answer to "Cette page vous a-t-elle été utile ?"."""

    __tablename__ = "feedback_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[str] = mapped_column(String(300), index=True)
    useful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FunnelEvent(Base):
    """One step event of a démarche, without any personal data, for the indicators."""

    __tablename__ = "funnel_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), index=True)
    step: Mapped[str] = mapped_column(String(80))
    event: Mapped[str] = mapped_column(String(30))
    fields: Mapped[list | None] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # A keyed hash of the draft's id (never the id itself): it links one journey's steps, so the indicators can
    # say where people leave and how long a step takes, without knowing who they are.
    journey: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # The message shown for each field of `fields` (an "error" event): texts of the definitions, never answers.
    messages: Mapped[list | None] = mapped_column(JSON, nullable=True)
