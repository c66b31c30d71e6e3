"""Content tables: fiches with their versions, life events, and the search index."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guichet.db import Base, utcnow


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
    # The hash of the file as last loaded or exported: when it differs from `content_hash`, the fiche was
    # published from the back office since, and a load must not overwrite it silently.
    file_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")

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


class ContentVersion(Base):
    """One row counting content loads: cached pages of every worker and server key on it."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
