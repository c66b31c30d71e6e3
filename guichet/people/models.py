"""People and the links agents set by hand between a person and a request."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class Person(Base):
    """An email address (lower-case) the town has seen, given a number so URLs and audit entries never show it."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PersonLink(Base):
    """A correction of the automatic match, by an agent.

    `attached` true: the request belongs to the person although its email differs (a request taken at
    the counter without email, a second address). `attached` false: the request does not belong to the
    person although its email matches (a shared family address). One row per person and request: the
    latest decision, who took it and when; the audit trail keeps every change.
    """

    __tablename__ = "person_links"
    __table_args__ = (UniqueConstraint("person_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    attached: Mapped[bool] = mapped_column(Boolean)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
