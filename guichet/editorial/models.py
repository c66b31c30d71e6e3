"""Editions of fiches and their versions: one published text, at most one working draft, every version kept."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guichet.db import Base, utcnow
from guichet.staff.models import StaffMember


class Edition(Base):
    """A fiche as the editors see it; `lock` grows at every change of its draft (optimistic locking)."""

    __tablename__ = "editorial_editions"
    __table_args__ = (UniqueConstraint("slug", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(String(5), default="fr")
    lock: Mapped[int] = mapped_column(Integer, default=0)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the owner service was last reminded that the fiche is due for review / confuses people.
    review_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reports_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list["EditionVersion"]] = relationship(back_populates="edition", order_by="EditionVersion.number",
                                                            cascade="all, delete-orphan")


class EditionVersion(Base):
    """One version of a fiche's file text; `status` is a state of guichet.editorial.workflow."""

    __tablename__ = "editorial_versions"
    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editorial_editions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"),
                                                    nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # scheduled

    edition: Mapped[Edition] = relationship(back_populates="versions")
    author: Mapped[StaffMember | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[StaffMember | None] = relationship(foreign_keys=[reviewer_id])
