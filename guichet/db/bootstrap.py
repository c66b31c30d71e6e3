"""Bring a database to a ready state: schema migrated, content loaded (used by tests and scripts)."""
from flask import Flask

from guichet import create_app, db
from guichet.content import service as content_service
from guichet.db.migrate import upgrade


def ready_app(database_url: str, overrides: dict | None = None) -> Flask:
    upgrade(database_url)
    app = create_app({**(overrides or {}), "DATABASE_URL": database_url})
    with app.app_context():
        content_service.load(db.session())
    return app
