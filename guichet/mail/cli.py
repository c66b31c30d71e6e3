"""`flask outbox send`."""
import click
from flask.cli import AppGroup

from guichet import db
from guichet.mail import outbox

outbox_cli = AppGroup("outbox", help="Emails waiting to be sent.")


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send every due email; failures are retried later with growing delays."""
    if not outbox.smtp_configured():
        raise click.ClickException("SMTP_HOST is not set: emails stay in the outbox (see /dev/courriels)")
    sent, failed = outbox.send_pending(db.session())
    click.echo(f"{sent} sent, {failed} failed (will be retried).")
