"""Satisfaction answers ("Je donne mon avis" after a démarche or a counter visit)."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class SatisfactionAnswer(Base):
    """One person's answer: at most one per request (a second send updates it); never tied to a person."""

    __tablename__ = "satisfaction_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("requests.id", ondelete="SET NULL"), unique=True, nullable=True)
    demarche: Mapped[str | None] = mapped_column(String(80), index=True, nullable=True)
    channel: Mapped[str] = mapped_column(String(20), default="web")  # a key of requests.submission.CHANNELS
    rating: Mapped[int] = mapped_column(Integer)  # 1 (très mal) … 5 (très bien)
    clarity: Mapped[str | None] = mapped_column(String(20), nullable=True)  # oui, en-partie, non
    helpers: Mapped[list] = mapped_column(JSON, default=list)  # proche, mairie, telephone, france-services, association, personne
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class SatisfactionInvite(Base):
    """A short code printed on a card (counter or phone visit): whoever holds the card answers once, then edits."""

    __tablename__ = "satisfaction_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # guichet, telephone
    demarche: Mapped[str | None] = mapped_column(String(80), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"), nullable=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("satisfaction_answers.id", ondelete="SET NULL"),
                                                  nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- Daily roll-ups, written by the worker (job "indicateurs"); the dashboard reads only these. -------------

class FunnelStepDaily(Base):
    """One démarche step on one day: journeys that reached it, went on, left (time on it: DurationRollup)."""

    __tablename__ = "funnel_step_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), primary_key=True)
    step: Mapped[str] = mapped_column(String(80), primary_key=True)
    reached: Mapped[int] = mapped_column(Integer, default=0)
    went_on: Mapped[int] = mapped_column(Integer, default=0)
    left: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    timeouts: Mapped[int] = mapped_column(Integer, default=0)
    saves: Mapped[int] = mapped_column(Integer, default=0)
    started: Mapped[int] = mapped_column(Integer, default=0)  # journeys whose first step this is
    completed: Mapped[int] = mapped_column(Integer, default=0)  # journeys sent from this step


class FieldErrorDaily(Base):
    """How often a question showed an error message, per day (messages come from definitions, never answers)."""

    __tablename__ = "field_error_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), primary_key=True)
    step: Mapped[str] = mapped_column(String(80), primary_key=True)
    field: Mapped[str] = mapped_column(String(80), primary_key=True)
    message: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class DurationRollup(Base):
    """How many durations had each (rounded) value, per day and per calendar month: summed over a period in
    SQL (whole months from the monthly rows, the days at each end from the daily ones), they give a median
    without reading one row per day. Kinds: "etape" (seconds on a step; subject: the step), "decision" (days
    from receipt to decision) and "pieces" (days to receive missing documents; subject: the channel)."""

    __tablename__ = "duration_rollups"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), primary_key=True)
    span: Mapped[str] = mapped_column(String(5), primary_key=True)  # "jour", or "mois" (day: the 1st)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SearchMissDaily(Base):
    """A search that found nothing, counted per normalised query and day: never tied to a person."""

    __tablename__ = "search_miss_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    query: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class RequestDaily(Base):
    """Requests of one démarche and channel: received that day, and decided that day with their durations."""

    __tablename__ = "request_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)
    decided_in_time: Mapped[int] = mapped_column(Integer, default=0)  # among decided ones with a legal delay
    with_delay: Mapped[int] = mapped_column(Integer, default=0)  # decided ones that had a legal delay
    implicit: Mapped[int] = mapped_column(Integer, default=0)
    missing_asked: Mapped[int] = mapped_column(Integer, default=0)


class SatisfactionDaily(Base):
    """Satisfaction answers of one démarche and channel, per day of answer: sums, so any period adds up."""

    __tablename__ = "satisfaction_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), primary_key=True)  # "" for a card without démarche
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    clear: Mapped[int] = mapped_column(Integer, default=0)  # "Les informations étaient-elles claires ?" oui
    helped: Mapped[int] = mapped_column(Integer, default=0)  # had help from someone
    alone: Mapped[int] = mapped_column(Integer, default=0)  # answered "Personne" only
