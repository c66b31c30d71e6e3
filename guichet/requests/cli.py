"""`flask requests set-status` and `flask requests files`."""
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from guichet import db
from guichet.demarches import storage
from guichet.requests.models import DemarcheRequest, RequestStatus
from guichet.requests.submission import STATUS_LABELS

requests_cli = AppGroup("requests", help="Submitted démarches.")


@requests_cli.command("set-status")
@click.argument("reference")
@click.argument("status", type=click.Choice(sorted(STATUS_LABELS)))
@click.option("--note", default=None, help="A note shown to the person on the tracking page.")
def requests_set_status(reference: str, status: str, note: str | None) -> None:
    """Move a request along (until the agents' back office exists)."""
    session = db.session()
    row = _request(session, reference)
    row.status = status
    row.history.append(RequestStatus(status=status, note=note))
    session.commit()
    click.echo(f"{reference} is now '{STATUS_LABELS[status]}'.")


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
