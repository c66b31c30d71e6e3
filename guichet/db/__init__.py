"""SQLAlchemy engine, the per-request session, and the declarative base every domain's models share."""
from datetime import datetime, timezone

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


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
            cursor.close()

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


def engine() -> Engine:
    return current_app.extensions["guichet_engine"]


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
