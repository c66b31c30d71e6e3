"""`flask retention [--dry-run]`: what is past its retention goes (the worker runs it daily)."""
import click
from flask import current_app
from flask.cli import with_appcontext

from guichet import db
from guichet.db import utcnow
from guichet.demarches.catalogue import catalogue
from guichet.privacy import retention


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Show what would be deleted, change nothing.")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Delete requests, files and messages past their démarche's retention, and old report contacts."""
    session = db.session()
    planned = retention.plan(session, catalogue(), utcnow(),
                             retention.report_contact_months(current_app.config["SETTINGS"]))
    for expired in planned.requests:
        click.echo(f"{expired.reference}  {expired.demarche}  since {expired.counted_from:%Y-%m-%d}"
                   f"  (kept {expired.months} months)")
    for slug, count in sorted(planned.undefined_demarches.items()):
        click.echo(f"kept: {count} request(s) of '{slug}', which has no loaded definition (no retention known)")
    click.echo(f"{len(planned.requests)} request(s), {len(planned.report_contacts)} report contact address(es)"
               f" {'would go' if dry_run else 'go'}.")
    if not dry_run:
        applied = retention.apply(session, planned, "cli")
        click.echo(f"Deleted {applied.requests} request(s) and {applied.files} file(s); "
                   f"erased {applied.report_contacts} report contact address(es).")
