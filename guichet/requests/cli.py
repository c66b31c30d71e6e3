"""`flask requests set-status` and `flask requests files`."""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import select

from guichet import db
from guichet.demarches import storage
from guichet.demarches.catalogue import catalogue
from guichet.requests import workflow
from guichet.requests.models import DemarcheRequest

requests_cli = AppGroup("requests", help="Submitted démarches.")


@requests_cli.command("set-status")
@click.argument("reference")
@click.argument("status", type=click.Choice(sorted(workflow.STATUSES)))
@click.option("--note", default=None, help="A note shown to the person on the tracking page.")
def requests_set_status(reference: str, status: str, note: str | None) -> None:
    """Move a request to STATUS through the workflow's agent action that leads there (as the back office does)."""
    session = db.session()
    row = _request(session, reference)
    demarche = catalogue().get(row.demarche)
    if demarche is None:
        raise click.ClickException(f"the démarche {row.demarche} of {reference} is not loaded")
    actions = [action for action in workflow.actions_for(row.status, demarche.legal.implicit)
               if action.target == status and not action.own_form]
    if not actions:
        raise click.ClickException(f"{reference} cannot go from {row.status} to {status}")
    with force_locale("fr"):  # no web request, so no language to read from it
        try:
            workflow.apply(session, row, demarche, actions[0].key, "cli", note)
        except workflow.TransitionRefused as refused:
            raise click.ClickException(str(refused)) from refused
        session.commit()
        click.echo(f"{reference} is now '{workflow.status(status).agent_label}'.")


@requests_cli.command("files")
@click.argument("reference")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def requests_files(reference: str, folder: Path) -> None:
    """Copy a request's supporting documents into FOLDER, wherever they are stored (until the back office)."""
    session = db.session()
    row = _request(session, reference)
    folder.mkdir(parents=True, exist_ok=True)
    backend = storage.backend()
    for stored in row.files:
        # Our random name, never the person's file name: it could hold anything.
        target = folder / f"{stored.question}-{stored.stored_name}"
        target.write_bytes(backend.read(session, stored))
        click.echo(f"{target.name}\t{stored.original_name}")


def _request(session, reference: str) -> DemarcheRequest:
    row = session.scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
    if row is None:
        raise click.ClickException(f"no request {reference}")
    return row
