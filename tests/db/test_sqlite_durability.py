"""SQLite: commits skip the fsync (WAL, synchronous=NORMAL), except a sent request's (`durably`)."""
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from guichet.db import durably, make_engine

NORMAL, FULL = 1, 2


def _synchronous_at_each_commit(engine) -> list[int]:
    seen = []

    @event.listens_for(engine, "commit")
    def _record(connection):
        seen.append(connection.exec_driver_sql("PRAGMA synchronous").scalar())
    return seen


def test_ordinary_commits_skip_the_fsync_and_a_durable_commit_waits_for_the_disk(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'durable.sqlite3'}")
    seen = _synchronous_at_each_commit(engine)
    with Session(engine) as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        session.execute(text("CREATE TABLE t (x INTEGER)"))
        session.commit()
        session.execute(text("INSERT INTO t VALUES (0)"))  # pending before: committed first, as usual
        with durably(session):
            session.execute(text("INSERT INTO t VALUES (1)"))
        session.execute(text("INSERT INTO t VALUES (2)"))
        session.commit()
    with Session(engine) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == NORMAL, "the pool gets NORMAL back"
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 3
    assert seen == [NORMAL, NORMAL, FULL, NORMAL]
    engine.dispose()
