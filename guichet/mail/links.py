"""Absolute links written in emails: they point at the organisation's public address."""
from flask import current_app


def site_url() -> str:
    return current_app.config["SETTINGS"]["organisation"]["site_url"].rstrip("/")
