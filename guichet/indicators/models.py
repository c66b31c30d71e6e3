"""Satisfaction answers ("Je donne mon avis" after a démarche or a counter visit)."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
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
