"""Démarches in progress: drafts and their supporting documents."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guichet.db import Base, utcnow

if TYPE_CHECKING:
    from guichet.requests.models import DemarcheRequest


class Draft(Base):
    """Answers of a démarche in progress, kept server-side and reached through a random cookie id."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    demarche: Mapped[str] = mapped_column(String(80))
    definition_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    resume_code: Mapped[str | None] = mapped_column(String(8), unique=True, nullable=True)
    # Said at the start ("ordinateur partagé") or set by a help point: only then does idle time erase answers.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Started on a help point's computer (`?poste=accueil`): shared, with the shorter idle limit.
    help_point: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Practice with a mediator: shared, never saved with a code, never sent; erased at the end (see drafts.py).
    practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    rectifies_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), nullable=True)
    # Once sent, the draft keeps no answers, only what a double click needs to show the same receipt.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), nullable=True)
    receipt_secret: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Opened from the back office: the agent, and the channel the request came by (None: the person's own,
    # online), recorded on the request at submission (guichet.requests.submission).
    channel: Mapped[str | None] = mapped_column(String(20), nullable=True)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    files: Mapped[list["StoredFile"]] = relationship(back_populates="draft", cascade="all, delete-orphan",
                                                     foreign_keys="StoredFile.draft_id")
    request: Mapped["DemarcheRequest | None"] = relationship(foreign_keys=[request_id])


class StoredFile(Base):
    """A supporting document: what we know about it; its bytes are kept by `guichet.demarches.storage`."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[str | None] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), nullable=True)
    question: Mapped[str] = mapped_column(String(60))
    item: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A file sent with a message of the thread (see guichet.requests.models.RequestMessage).
    message_id: Mapped[int | None] = mapped_column(ForeignKey("request_messages.id", ondelete="CASCADE"),
                                                   nullable=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mimetype: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    draft: Mapped[Draft | None] = relationship(back_populates="files", foreign_keys=[draft_id])


class StoredFileBlob(Base):
    """The bytes of one supporting document, when they are kept in the database (see storage.py).

    Deleting the StoredFile deletes its bytes (ON DELETE CASCADE): no orphan, one backup.
    """

    __tablename__ = "stored_file_blobs"

    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)

    file: Mapped[StoredFile] = relationship()
