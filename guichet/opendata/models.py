"""The day's public indicators, computed by the worker once a day and read by every server."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime
from sqlalchemy.orm import Mapped, mapped_column

from guichet.db import Base, utcnow


class IndicatorSnapshot(Base):
    """The indicators of one day (guichet/opendata/indicators.py), as JSON; only the latest is kept."""

    __tablename__ = "opendata_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
