"""`flask audit verify`: seal what is pending, then check the whole chain."""
import click
from flask.cli import AppGroup

from guichet import db
from guichet.audit import log

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    sealed = log.seal(db.session())
    problems = log.verify(db.session())
    for problem in problems:
        click.echo(f"position {problem.position}: {problem.message}" if problem.position else problem.message)
    if problems:
        raise click.ClickException(f"the audit trail is damaged ({len(problems)} problem(s))")
    click.echo(f"The audit trail is intact ({sealed} entries sealed now).")
