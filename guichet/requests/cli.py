"""`flask requests set-status`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from guichet import db
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
    row = session.scalar(select(DemarcheRequest).where(DemarcheRequest.reference == reference))
    if row is None:
        raise click.ClickException(f"no request {reference}")
    row.status = status
    row.history.append(RequestStatus(status=status, note=note))
    session.commit()
    click.echo(f"{reference} is now '{STATUS_LABELS[status]}'.")
