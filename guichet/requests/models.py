"""Submitted requests: what the receipt, the tracking page and the workflow are about."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guichet.db import Base, utcnow
from guichet.demarches.models import StoredFile


class DemarcheRequest(Base):
    """A submitted démarche: what the receipt (decree 2015-1404) and the tracking page are about."""

    __tablename__ = "requests"
    __table_args__ = (
        # The queue: a service's open requests, nearest legal deadline first.
        Index("ix_requests_service_status_due", "service", "status", "decision_due"),
        Index("ix_requests_owner_status", "owner_id", "status"),
        # The queue (guichet/requests/queue.py): its order, read in index order, with the columns its tabs
        # filter on (so a page costs no table read but its own rows); and its tab counts and searches, grouped on
        # the index, which also holds every column a search compares (no read of the wide rows).
        Index("ix_requests_queue_order", "decision_due", "received_at", "id", "service", "status", "owner_id"),
        Index("ix_requests_search", "service", "status", "owner_id", "decision_due", "channel", "reference",
              "search_name", "search_email"),
    )

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
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # The service that processes it (from the démarche definition at submission), its owner among the
    # agents, and the day an implicit decision happens if nothing is decided (None: no implicit decision,
    # or already decided). `decision_due` is kept up to date by the workflow, so the queue can sort on it.
    service: Mapped[str | None] = mapped_column(String(60), nullable=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    decision_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The queue's free-text search: names and email folded (lower case, no accents) at submission, so a
    # search reads two plain columns instead of parsing `identity` JSON on every row.
    search_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    search_email: Mapped[str | None] = mapped_column(String(254), nullable=True)

    history: Mapped[list["RequestStatus"]] = relationship(back_populates="request", order_by="RequestStatus.id",
                                                          cascade="all, delete-orphan")
    versions: Mapped[list["RequestVersion"]] = relationship(back_populates="request",
                                                            order_by="RequestVersion.version",
                                                            cascade="all, delete-orphan")
    files: Mapped[list[StoredFile]] = relationship(foreign_keys=[StoredFile.request_id])
    events: Mapped[list["RequestEvent"]] = relationship(back_populates="request", order_by="RequestEvent.id",
                                                        cascade="all, delete-orphan")
    messages: Mapped[list["RequestMessage"]] = relationship(back_populates="request",
                                                            order_by="RequestMessage.id",
                                                            cascade="all, delete-orphan")
    missing_documents: Mapped[list["MissingDocuments"]] = relationship(back_populates="request",
                                                                      order_by="MissingDocuments.id",
                                                                      cascade="all, delete-orphan")
    letters: Mapped[list["RequestLetter"]] = relationship(back_populates="request", order_by="RequestLetter.id",
                                                          cascade="all, delete-orphan")


class RequestStatus(Base):
    """A status the request went through; its note is shown to the person on the tracking page."""

    __tablename__ = "request_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None for the person's own actions and for automatic ones (an implicit decision at its date).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)

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


class RequestEvent(Base):
    """A back-office event on a request (internal note, assignment…): never shown to the person."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    request: Mapped[DemarcheRequest] = relationship(back_populates="events")


class RequestMessage(Base):
    """One message of the thread between the service and the person (sent by email, shown on /suivi)."""

    __tablename__ = "request_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sender: Mapped[str] = mapped_column(String(12))  # "service" or "demandeur"
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    request: Mapped[DemarcheRequest] = relationship(back_populates="messages")


class MissingDocuments(Base):
    """A request for missing documents (decree 2015-1404 art. 8): the items, the deadline, when all came in.

    `items` is a list of {"key", "label", "received_at"}; the files sent for an item are StoredFiles of the
    request whose `question` is "piece:<key>".
    """

    __tablename__ = "missing_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"),
                                                     nullable=True)
    deadline: Mapped[date] = mapped_column(Date)
    items: Mapped[list] = mapped_column(JSON)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[DemarcheRequest] = relationship(back_populates="missing_documents")


class RequestPresence(Base):
    """Who has a request's page open now, for "also open by…" (a soft lock: it informs, never blocks).

    Kept in the database so every server sees it; the page refreshes `seen_at` while it stays open, and a
    row not refreshed for a while (see guichet.requests.presence) counts as gone.
    """

    __tablename__ = "request_presence"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RequestLetter(Base):
    """A letter to the person: a decision (CRPA L211-2, L212-1, appeal routes) or the attestation of an implicit
    acceptance (L232-3). `facts` is what the letter says, frozen when it is issued, so its HTML page always
    reads as its PDF (a StoredFile of the request, through guichet.demarches.storage, so every server has it)."""

    __tablename__ = "request_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "decision" or "attestation"
    status_id: Mapped[int | None] = mapped_column(ForeignKey("request_statuses.id", ondelete="SET NULL"),
                                                  nullable=True)
    facts: Mapped[dict] = mapped_column(JSON)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)

    request: Mapped[DemarcheRequest] = relationship(back_populates="letters")
    file: Mapped[StoredFile | None] = relationship(foreign_keys=[file_id])
