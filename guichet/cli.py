"""Command-line tools: `flask db upgrade`, `flask content load|check`, `flask reports list|answer`."""
import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from . import db, outbox
from .content import service as content_service
from .demarches import drafts
from .demarches.definitions import DefinitionError, load_catalogue
from .demarches.submission import STATUS_LABELS
from .content.errors import ContentError
from .migrate import upgrade
from .models import DemarcheRequest, Report, RequestStatus, utcnow
from .paths import FORMS_DIR

db_cli = AppGroup("db", help="Database schema.")
content_cli = AppGroup("content", help="Fiches and life events.")
reports_cli = AppGroup("reports", help="\"Signaler une difficulté\" reports.")
REPORT_STATUSES = ("nouveau", "en cours", "traité", "rejeté")


def register(app: Flask) -> None:
    for group in (db_cli, content_cli, reports_cli, requests_cli, outbox_cli, drafts_cli, demarches_cli):
        app.cli.add_command(group)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply every Alembic migration not yet applied."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database schema is up to date.")


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


@reports_cli.command("list")
@click.option("--status", type=click.Choice(REPORT_STATUSES), default=None)
def reports_list(status: str | None) -> None:
    """List reports, newest first."""
    query = select(Report).order_by(Report.created_at.desc())
    if status:
        query = query.where(Report.status == status)
    for report in db.session().scalars(query):
        click.echo(f"#{report.id}  {report.created_at:%Y-%m-%d %H:%M}  {report.status:<9} {report.category:<12} "
                   f"{report.page}  [{report.lang}, {report.device}]  {report.text[:80]!r}")


@reports_cli.command("answer")
@click.argument("report_id", type=int)
@click.option("--status", type=click.Choice(REPORT_STATUSES), default="traité")
@click.option("--text", "answer", default=None, help="The public answer, in plain French.")
def reports_answer(report_id: int, status: str, answer: str | None) -> None:
    """Set a report's status and public answer (shown on /signalements/suivi-public when treated)."""
    session = db.session()
    report = session.get(Report, report_id)
    if report is None:
        raise click.ClickException(f"no report #{report_id}")
    report.status = status
    if answer is not None:
        report.public_answer = answer.strip() or None
        report.answered_at = utcnow()
    session.commit()
    click.echo(f"Report #{report_id} is now '{status}'.")


requests_cli = AppGroup("requests", help="Submitted démarches.")
outbox_cli = AppGroup("outbox", help="Emails waiting to be sent.")
drafts_cli = AppGroup("drafts", help="Démarches in progress.")
demarches_cli = AppGroup("demarches", help="Démarche definitions.")


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


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send every due email; failures are retried later with growing delays."""
    if not outbox.smtp_configured():
        raise click.ClickException("SMTP_HOST is not set: emails stay in the outbox (see /dev/courriels)")
    sent, failed = outbox.send_pending(db.session())
    click.echo(f"{sent} sent, {failed} failed (will be retried).")


@drafts_cli.command("purge")
def drafts_purge() -> None:
    """Delete expired drafts and their files (run at start; schedule it, e.g. every 10 minutes)."""
    session = db.session()
    count = drafts.purge(session)
    session.commit()
    click.echo(f"{count} expired draft(s) deleted.")


@demarches_cli.command("check")
def demarches_check() -> None:
    """Validate every démarche definition strictly."""
    try:
        catalogue = load_catalogue(FORMS_DIR, current_app.config["SETTINGS"]["services"], strict=True)
    except DefinitionError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(catalogue.all())} démarche definitions are valid.")
