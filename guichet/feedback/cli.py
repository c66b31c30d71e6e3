"""`flask reports list|answer`: "Signaler une difficulté" reports."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from guichet import db
from guichet.feedback.models import Report
from guichet.feedback.reports import REPORT_STATUSES, answer

reports_cli = AppGroup("reports", help="\"Signaler une difficulté\" reports.")


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
@click.option("--text", "public_answer", default=None, help="The public answer, in plain French.")
def reports_answer(report_id: int, status: str, public_answer: str | None) -> None:
    """Set a report's status and public answer (shown on /signalements/suivi-public when treated)."""
    session = db.session()
    report = session.get(Report, report_id)
    if report is None:
        raise click.ClickException(f"no report #{report_id}")
    answer(report, status, public_answer)
    session.commit()
    click.echo(f"Report #{report_id} is now '{status}'.")
