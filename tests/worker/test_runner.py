"""The worker: each due job runs once per period, a failing job does not stop the others, and two
workers on one PostgreSQL database never do the same thing twice (jobs nor emails)."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from guichet import db
from guichet.mail import outbox
from guichet.mail.models import OutboxMessage
from guichet.worker import runner
from guichet.worker.jobs import JOBS, Job
from guichet.worker.models import WorkerJob
from tests.mail.test_outbox import Mailbox, free_port


def counting_jobs(counts: dict, fail: str | None = None):
    def make(name):
        def run(_session, _now):
            counts[name] = counts.get(name, 0) + 1
            if name == fail:
                raise RuntimeError("boom")
            return "ok"
        return Job(name, timedelta(minutes=5), run)
    return tuple(make(name) for name in ("test-a", "test-b", "test-c"))


@pytest.fixture
def clean_jobs(app):
    with app.app_context():
        db.session().execute(delete(WorkerJob).where(WorkerJob.name.like("test-%")))
        db.session().commit()


def test_each_due_job_runs_once_per_period(app, clean_jobs):
    counts = {}
    jobs = counting_jobs(counts)
    assert runner.run_due(app, "w1", jobs) == ["test-a", "test-b", "test-c"]
    assert runner.run_due(app, "w1", jobs) == []
    assert counts == {"test-a": 1, "test-b": 1, "test-c": 1}
    with app.app_context():
        runner.reschedule_now(db.session(), ["test-b"])
    assert runner.run_due(app, "w2", jobs) == ["test-b"]


def test_a_failing_job_is_recorded_and_the_others_still_run(app, clean_jobs):
    counts = {}
    jobs = counting_jobs(counts, fail="test-a")
    assert runner.run_due(app, "w1", jobs) == ["test-a", "test-b", "test-c"]
    with app.app_context():
        failed = db.session().get(WorkerJob, "test-a")
        assert failed.last_error == "RuntimeError: boom" and failed.locked_by is None
        assert db.session().get(WorkerJob, "test-b").last_error is None


def test_a_job_held_by_a_crashed_worker_is_taken_over_after_its_lease(app, clean_jobs):
    counts = {}
    jobs = counting_jobs(counts)
    with app.app_context():
        session = db.session()
        runner.ensure_jobs(session, runner.utcnow(), jobs)
        assert runner.claim(session, jobs[0], "crashed", runner.utcnow())
    assert "test-a" not in runner.run_due(app, "w2", jobs)
    with app.app_context():
        later = runner.utcnow() + jobs[0].lease + timedelta(seconds=1)
        assert runner.claim(db.session(), jobs[0], "w2", later)


def test_real_jobs_run_on_sqlite(app):
    with app.app_context():
        runner.reschedule_now(db.session(), [job.name for job in JOBS])
    assert set(runner.run_due(app, "w1")) <= {job.name for job in JOBS}


def test_two_workers_on_postgresql_do_nothing_twice(pg_app):
    mailbox = Mailbox()
    from aiosmtpd.controller import Controller
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    pg_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    counts = {}
    lock = threading.Lock()

    def counted(name):
        def run(session, now):
            with lock:
                counts[name] = counts.get(name, 0) + 1
            return outbox.send_pending(session) and "ok"
        return Job(name, timedelta(hours=1), run)

    jobs = (counted("test-pg-a"), counted("test-pg-b"))
    try:
        with pg_app.app_context():
            session = db.session()
            session.execute(delete(WorkerJob).where(WorkerJob.name.like("test-%")))
            session.execute(delete(OutboxMessage))
            for number in range(30):
                outbox.enqueue(session, f"personne{number}@exemple.fr", f"Message {number}", "Bonjour")
            session.commit()
        start = threading.Barrier(2)

        def work(me):
            start.wait()
            for _ in range(3):
                runner.run_due(pg_app, me, jobs)

        threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert counts == {"test-pg-a": 1, "test-pg-b": 1}
        recipients = sorted(recipient for envelope in mailbox.messages for recipient in envelope.rcpt_tos)
        assert recipients == sorted(f"personne{number}@exemple.fr" for number in range(30))
        with pg_app.app_context():
            assert db.session().scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.sent_at.is_(None))) == 0
    finally:
        controller.stop()
        pg_app.config.update(SMTP_HOST="")


def test_two_senders_racing_on_the_same_messages_send_each_once(pg_app):
    """The web's send-after-response and the worker may run at the same moment."""
    mailbox = Mailbox()
    from aiosmtpd.controller import Controller
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    pg_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        with pg_app.app_context():
            session = db.session()
            session.execute(delete(OutboxMessage))
            for number in range(20):
                outbox.enqueue(session, f"course{number}@exemple.fr", "Course", "Bonjour")
            session.commit()
        start = threading.Barrier(3)

        def send():
            start.wait()
            with pg_app.app_context():
                outbox.send_pending(db.session())

        threads = [threading.Thread(target=send) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        recipients = [recipient for envelope in mailbox.messages for recipient in envelope.rcpt_tos]
        assert sorted(recipients) == sorted(f"course{number}@exemple.fr" for number in range(20))
    finally:
        controller.stop()
        pg_app.config.update(SMTP_HOST="")
