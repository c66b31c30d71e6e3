"""Alembic environment: the URL comes from the app config (set by guichet.db.migrate)."""
from alembic import context
from sqlalchemy import create_engine, pool

from guichet.db import Base, import_models
from guichet.db.migrate import include_object

config = context.config
url = config.get_main_option("sqlalchemy.url")
import_models()


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with create_engine(url, poolclass=pool.NullPool).connect() as connection:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
