"""Short-lived access to personal pages, kept in the signed session cookie.

On a shared computer, the next person must not be able to open a receipt or a tracking page
again: the access lasts as long as a draft's idle limit, then is forgotten. On the person's own
device (a démarche started without "ordinateur partagé") the receipt stays open for a day, so
they can come back to it to note the tracking code; the session cookie still ends with the
browser. Tracking pages are opened from any device with two codes: they keep the short limit.
"""
import time

from flask import current_app, session

PERSONAL_DEVICE_SECONDS = 24 * 3600
RECEIPT = "recu"  # the receipt page of a request just sent
TRACKING = "suivi"  # the tracking page, opened with the two codes or the email link


def _lifetime(shared: bool) -> int:
    return current_app.config["DRAFT_IDLE_MINUTES"] * 60 if shared else PERSONAL_DEVICE_SECONDS


def grant(key: str, value: dict, shared: bool = True) -> None:
    session[key] = {**value, "until": int(time.time()) + _lifetime(shared)}


def granted(key: str) -> dict | None:
    value = session.get(key)
    if not isinstance(value, dict) or value.get("until", 0) < time.time():
        session.pop(key, None)
        return None
    return value


def forget(key: str) -> None:
    """"Effacer et quitter": this browser can no longer open the page."""
    session.pop(key, None)
