"""`flask content load|check`."""
import click
from flask.cli import AppGroup

from guichet import db
from guichet.content import service as content_service
from guichet.content.errors import ContentError

content_cli = AppGroup("content", help="Fiches and life events.")


@content_cli.command("check")
def content_check() -> None:
    """Validate every content file without touching the database."""
    try:
        content = content_service.validate()
    except ContentError as error:
        raise click.ClickException(f"content refused:\n{error}") from error
    click.echo(f"{len(content.fiches)} fiches and {len(content.events)} life events are valid.")


@content_cli.command("load")
def content_load() -> None:
    """Validate, then upsert every fiche and life event and rebuild the search index."""
    try:
        result = content_service.load(db.session())
    except ContentError as error:
        raise click.ClickException(f"content refused, nothing was loaded:\n{error}") from error
    click.echo(f"Content loaded: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
