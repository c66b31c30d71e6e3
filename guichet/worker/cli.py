"""`flask worker run [--once]` and `flask worker status`."""
import logging

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from guichet import db
from guichet.worker import runner
from guichet.worker.models import WorkerJob

worker_cli = AppGroup("worker", help="The timed jobs.")


@worker_cli.command("run")
@click.option("--once", is_flag=True, help="One pass over the due jobs, then stop.")
@click.option("--pause", default=5.0, show_default=True, help="Seconds between passes.")
def run(once: bool, pause: float) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    app = current_app._get_current_object()
    if once:
        click.echo(", ".join(runner.run_due(app)) or "nothing was due")
        return
    runner.run_forever(app, pause)


@worker_cli.command("status")
def status() -> None:
    for job in db.session().scalars(select(WorkerJob).order_by(WorkerJob.name)):
        click.echo(f"{job.name:<14} next {job.next_run_at:%Y-%m-%d %H:%M:%S}  last {job.last_finished_at or '-'}"
                   f"{'  ERROR ' + job.last_error if job.last_error else ''}")
