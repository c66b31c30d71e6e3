"""Per-client rate limits stored in the database, so they hold across workers and servers.

The client is a keyed hash of its address: the raw IP address is never stored.
"""
import hashlib
import hmac
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .models import RateLimitHit, utcnow


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
