"""SQLAlchemy engine, the per-request session, and the declarative base every domain's models share."""
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


DURABLE = "durable"  # set on a pooled SQLite connection while it waits for the disk (see durably)


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def import_models() -> None:
    """Register every domain's tables on `Base.metadata` (the app and Alembic both need all of them)."""
    from guichet.alerts import models as _alerts  # noqa: F401
    from guichet.appointments import models as _appointments  # noqa: F401
    from guichet.audit import models as _audit  # noqa: F401
    from guichet.callbacks import models as _callbacks  # noqa: F401
    from guichet.content import models as _content  # noqa: F401
    from guichet.editorial import models as _editorial  # noqa: F401
    from guichet.demarches import models as _demarches  # noqa: F401
    from guichet.feedback import models as _feedback  # noqa: F401
    from guichet.indicators import models as _indicators  # noqa: F401
    from guichet.mail import models as _mail  # noqa: F401
    from guichet.opendata import models as _opendata  # noqa: F401
    from guichet.people import models as _people  # noqa: F401
    from guichet.requests import models as _requests  # noqa: F401
    from guichet.staff import models as _staff  # noqa: F401
    from guichet.web import ratelimit as _ratelimit  # noqa: F401
    from guichet.worker import models as _worker  # noqa: F401


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets foreign keys and a busy timeout for concurrent workers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Durability trade-off. In WAL mode with synchronous=NORMAL a commit goes to the WAL without
            # waiting for the disk; the WAL is synced at each checkpoint. The database is never corrupted,
            # and a crash of the server process (kill -9) loses nothing: the WAL is in the system's cache.
            # Only a crash of the whole machine or a power cut can undo the last commits since the last
            # checkpoint: a draft's step, a funnel event. That saves one fsync per request (~10 ms here, far
            # more on a busy disk). A sent request and its receipt must survive even that: `durably`.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "checkin")
        def _back_to_normal(dbapi_connection, record):
            """A connection lent to `durably` goes back to the pool as every other one."""
            if record.info.pop(DURABLE, False):
                dbapi_connection.execute("PRAGMA synchronous=NORMAL")

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["guichet_engine"] = engine
    app.extensions["guichet_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def session() -> Session:
    """The database session of the current request or CLI command."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["guichet_sessionmaker"]()
    return g.db_session


@contextmanager
def durably(db_session: Session):
    """Commit what is done inside and wait until it is on disk, even on SQLite (see make_engine): what a
    receipt promises must survive a power cut. PostgreSQL commits that way already. SQLite only changes
    its safety level between transactions, so what was pending before is committed first, as usual."""
    db_session.commit()
    connection = db_session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA synchronous=FULL")
        connection.connection.info[DURABLE] = True
    yield
    db_session.commit()


def engine() -> Engine:
    return current_app.extensions["guichet_engine"]


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
