"""`flask db upgrade`."""
import click
from flask import current_app
from flask.cli import AppGroup

from guichet.db.migrate import upgrade

db_cli = AppGroup("db", help="Database schema.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration not yet applied."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database schema is up to date.")
