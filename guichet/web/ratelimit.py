"""Per-client rate limits stored in the database, so they hold across workers and servers.

The client is a keyed hash of its address: the raw IP address is never stored.
"""
import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import DateTime, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from guichet.db import Base, utcnow


class RateLimitHit(Base):
    """One counted action of a client (hashed address), for per-client rate limits across workers."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(30))
    client: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


def client_key() -> str:
    address = request.headers.get("X-Forwarded-For", request.remote_addr or "").split(",")[0].strip() \
        if current_app.config.get("TRUST_PROXY") else (request.remote_addr or "")
    return hmac.new(current_app.config["SECRET_KEY"].encode(), address.encode(), hashlib.sha256).hexdigest()


def allow(db: Session, bucket: str, limit: int, window_seconds: int) -> bool:
    """Count this action and say whether the client is still under `limit` actions per window."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    key = client_key()
    db.execute(delete(RateLimitHit).where(RateLimitHit.created_at < now - timedelta(days=1)))
    recent = db.scalar(select(func.count()).select_from(RateLimitHit).where(
        RateLimitHit.bucket == bucket, RateLimitHit.client == key, RateLimitHit.created_at >= since))
    if recent >= limit:
        return False
    db.add(RateLimitHit(bucket=bucket, client=key, created_at=now))
    return True
