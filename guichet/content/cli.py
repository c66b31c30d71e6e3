"""`flask content load|check|export`."""
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
@click.option("--force", is_flag=True, help="Files win over fiches published from the back office since the last load.")
def content_load(force: bool) -> None:
    """Validate, then upsert every fiche and life event and rebuild the search index.

    A fiche published from the back office whose file did not change is kept as published; one whose
    file changed too is a conflict: nothing is loaded unless --force."""
    try:
        result = content_service.load(db.session(), force=force)
    except ContentError as error:
        raise click.ClickException(f"content refused, nothing was loaded:\n{error}") from error
    except content_service.LoadConflict as conflict:
        raise click.ClickException(
            "nothing was loaded: these fiches were published from the back office since the last load and "
            f"their files changed too: {', '.join(conflict.slugs)}. Run `flask content export` to write the "
            "published versions to the files and merge by hand, or `flask content load --force` to let the "
            "files win.") from conflict
    click.echo(f"Content loaded: {result.created} created, {result.updated} updated, {result.unchanged} unchanged.")


@content_cli.command("export")
def content_export() -> None:
    """Write the published fiches back to site/content/ (a fiche whose file already holds it is left alone)."""
    written = content_service.export(db.session())
    click.echo(f"{len(written)} files written" + (f": {', '.join(written)}." if written else "."))
