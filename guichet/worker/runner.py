"""Run due jobs, each claimed by one atomic compare-and-set update (safe with several workers).

The claim is `UPDATE worker_jobs SET locked_by = me … WHERE name = … AND next_run_at <= now AND
(not locked or lease over)`: on PostgreSQL the row lock makes a second worker re-read the row and
find it taken; on SQLite writes are serialised. Only the worker whose update changed a row runs it.
"""
import logging
import os
import socket
import time
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from guichet import db
from guichet.db import utcnow
from guichet.worker.jobs import JOBS, Job
from guichet.worker.models import WorkerJob

logger = logging.getLogger("guichet.worker")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def ensure_jobs(session: Session, now: datetime, jobs=JOBS) -> None:
    """A row per job (a new job is due at once); existing rows keep their schedule."""
    known = set(session.scalars(select(WorkerJob.name)))
    for job in jobs:
        if job.name in known:
            continue
        try:
            session.add(WorkerJob(name=job.name, next_run_at=now))
            session.commit()
        except IntegrityError:  # another worker added it at the same moment: theirs is as good
            session.rollback()


def claim(session: Session, job: Job, me: str, now: datetime) -> bool:
    result = session.execute(update(WorkerJob).where(
        WorkerJob.name == job.name, WorkerJob.next_run_at <= now,
        or_(WorkerJob.locked_until.is_(None), WorkerJob.locked_until < now),
    ).values(locked_by=me, locked_until=now + job.lease, last_started_at=now))
    session.commit()
    return result.rowcount == 1


def release(session: Session, job: Job, me: str, error: str | None) -> None:
    finished = utcnow()
    session.execute(update(WorkerJob).where(WorkerJob.name == job.name, WorkerJob.locked_by == me).values(
        locked_by=None, locked_until=None, last_finished_at=finished, last_error=error,
        next_run_at=finished + job.every))
    session.commit()


def run_due(app: Flask, me: str | None = None, jobs=JOBS) -> list[str]:
    """One pass: every due job this worker manages to claim is run once. Returns what ran."""
    me = me or worker_id()
    ran = []
    with app.app_context():
        session = db.session()
        now = utcnow()
        ensure_jobs(session, now, jobs)
        for job in jobs:
            if not claim(session, job, me, now):
                continue
            error = None
            try:
                outcome = job.run(session, now)
                logger.info("%s: %s", job.name, outcome)
            except Exception as failure:  # one failing job must not stop the others; it is retried next time
                session.rollback()
                error = f"{type(failure).__name__}: {failure}"[:2000]
                logger.exception("job %s failed", job.name)
            release(session, job, me, error)
            ran.append(job.name)
    return ran


def run_forever(app: Flask, pause: float = 5.0) -> None:
    me = worker_id()
    logger.info("worker %s started", me)
    while True:
        run_due(app, me)
        time.sleep(pause)


def reschedule_now(session: Session, names: list[str]) -> None:
    """Make jobs due at once (tests, and operators after an incident)."""
    session.execute(update(WorkerJob).where(WorkerJob.name.in_(names)).values(next_run_at=utcnow() - timedelta(seconds=1)))
    session.commit()
