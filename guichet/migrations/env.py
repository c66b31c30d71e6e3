"""Alembic environment: the URL comes from the app config (set by guichet.migrate)."""
from alembic import context
from sqlalchemy import create_engine, pool

from guichet.db import Base
from guichet import models  # noqa: F401  (registers the tables on Base.metadata)

config = context.config
url = config.get_main_option("sqlalchemy.url")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text tables are made by hand in migrations: autogenerate must leave them alone."""
    hand_made = (type_ == "table" and name.startswith("search_fts")) or (type_ == "column" and name == "tsv")
    return not (hand_made and reflected and compare_to is None)


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
