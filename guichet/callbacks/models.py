"""A person asks to be called back: their number, when they can answer, what it is about."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class CallbackRequest(Base):
    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    days: Mapped[list] = mapped_column(JSON, default=list)      # weekday keys: lundi, mardi…
    periods: Mapped[list] = mapped_column(JSON, default=list)   # matin, midi, apres-midi
    subject: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str | None] = mapped_column(String(500), nullable=True)  # the page the person came from
    message: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(5), default="fr")
    # a-rappeler (waiting), fait (called), injoignable (not reached: the task stays open for another try)
    status: Mapped[str] = mapped_column(String(20), default="a-rappeler", index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"),
                                                      nullable=True)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
