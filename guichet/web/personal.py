"""Short-lived access to personal pages, kept in the signed session cookie.

After a receipt or a tracking page, the next person at a shared computer must not be able to
open them again: each access lasts as long as a draft's idle limit, then is forgotten.
"""
import time

from flask import current_app, session


def _lifetime() -> int:
    return current_app.config["DRAFT_IDLE_MINUTES"] * 60


def grant(key: str, value: dict) -> None:
    session[key] = {**value, "until": int(time.time()) + _lifetime()}


def granted(key: str) -> dict | None:
    value = session.get(key)
    if not isinstance(value, dict) or value.get("until", 0) < time.time():
        session.pop(key, None)
        return None
    return value
