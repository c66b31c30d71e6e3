"""Database model: content (fiches, life events, search index) and citizen feedback."""
from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class LifeEvent(Base):
    """A life event ("Je déménage") groups fiches and démarches by phase."""

    __tablename__ = "life_events"
    __table_args__ = (UniqueConstraint("slug", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    intro_html: Mapped[str] = mapped_column(Text)
    pictogram: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    phases: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Fiche(Base):
    """The current version of a fiche; `html` is the cached rendering of `body_md`."""

    __tablename__ = "fiches"
    __table_args__ = (UniqueConstraint("slug", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSON)
    body_md: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    verified: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list["FicheVersion"]] = relationship(back_populates="fiche", order_by="FicheVersion.version")


class FicheVersion(Base):
    """Every loaded or edited source of a fiche, kept for history."""

    __tablename__ = "fiche_versions"
    __table_args__ = (UniqueConstraint("fiche_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiches.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    fiche: Mapped[Fiche] = relationship(back_populates="versions")


class SearchEntry(Base):
    """One searchable document; `text` is accent-folded so both engines match "chomage" and "chômage"."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "slug", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    folded_title: Mapped[str] = mapped_column(Text)
    folded_text: Mapped[str] = mapped_column(Text)


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


class RateLimitHit(Base):
    """One counted action of a client (hashed address), for per-client rate limits across workers."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(30))
    client: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Draft(Base):
    """Answers of a démarche in progress, kept server-side and reached through a random cookie id."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80))
    definition_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    resume_code: Mapped[str | None] = mapped_column(String(8), unique=True, nullable=True)
    rectifies_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), nullable=True)
    # Once sent, the draft keeps no answers, only what a double click needs to show the same receipt.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), nullable=True)
    receipt_secret: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    files: Mapped[list["StoredFile"]] = relationship(back_populates="draft", cascade="all, delete-orphan",
                                                     foreign_keys="StoredFile.draft_id")
    request: Mapped["DemarcheRequest | None"] = relationship(foreign_keys=[request_id])


class StoredFile(Base):
    """A supporting document, stored outside static/ under a random name."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[str | None] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), nullable=True)
    question: Mapped[str] = mapped_column(String(60))
    item: Mapped[int | None] = mapped_column(Integer, nullable=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mimetype: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    draft: Mapped[Draft | None] = relationship(back_populates="files", foreign_keys=[draft_id])


class DemarcheRequest(Base):
    """A submitted démarche: what the receipt (decree 2015-1404) and the tracking page are about."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    tracking_secret_hash: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    demarche: Mapped[str] = mapped_column(String(80), index=True)
    definition_version: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default="web")
    identity: Mapped[dict] = mapped_column(JSON)
    answers: Mapped[dict] = mapped_column(JSON)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    lang: Mapped[str] = mapped_column(String(5), default="fr")
    status: Mapped[str] = mapped_column(String(40), default="recue")
    version: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    history: Mapped[list["RequestStatus"]] = relationship(back_populates="request", order_by="RequestStatus.id",
                                                          cascade="all, delete-orphan")
    versions: Mapped[list["RequestVersion"]] = relationship(back_populates="request",
                                                            order_by="RequestVersion.version",
                                                            cascade="all, delete-orphan")
    files: Mapped[list[StoredFile]] = relationship(foreign_keys=[StoredFile.request_id])


class RequestStatus(Base):
    __tablename__ = "request_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[DemarcheRequest] = relationship(back_populates="history")


class RequestVersion(Base):
    """Every version of the answers: the first submission and each rectification."""

    __tablename__ = "request_versions"
    __table_args__ = (UniqueConstraint("request_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    definition_version: Mapped[str] = mapped_column(String(20))
    identity: Mapped[dict] = mapped_column(JSON)
    answers: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[DemarcheRequest] = relationship(back_populates="versions")


class ReferenceCounter(Base):
    """The last request number of each year, for references like ADM-2026-000123."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class OutboxMessage(Base):
    """An email waiting to be sent: written in the same transaction as what it is about, sent with retries."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class FunnelEvent(Base):
    """One step event of a démarche, without any personal data, for the indicators."""

    __tablename__ = "funnel_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80), index=True)
    step: Mapped[str] = mapped_column(String(80))
    event: Mapped[str] = mapped_column(String(30))
    fields: Mapped[list | None] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
