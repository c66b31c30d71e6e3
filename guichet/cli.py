"""Every domain's command-line group, registered on the app (`flask --help` lists them)."""
from flask import Flask

from guichet.audit.cli import audit_cli
from guichet.content.cli import content_cli
from guichet.db.cli import db_cli
from guichet.demarches.cli import demarches_cli, drafts_cli
from guichet.feedback.cli import reports_cli
from guichet.mail.cli import outbox_cli
from guichet.privacy.cli import retention_command
from guichet.requests.cli import requests_cli
from guichet.staff.cli import demo_cli, staff_cli
from guichet.worker.cli import worker_cli


def register(app: Flask) -> None:
    for group in (db_cli, content_cli, reports_cli, requests_cli, outbox_cli, drafts_cli, demarches_cli, staff_cli,
                  audit_cli, worker_cli, demo_cli):
        app.cli.add_command(group)
    app.cli.add_command(retention_command)
