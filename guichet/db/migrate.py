"""Apply Alembic migrations from Python (used by `flask db upgrade`, `make run` and tests)."""
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text tables are made by hand in migrations: autogenerate must leave them alone."""
    hand_made = ((type_ == "table" and name.startswith("search_fts")) or (type_ == "column" and name == "tsv")
                 or (type_ == "index" and name == "ix_search_entries_tsv"))
    return not (hand_made and reflected and compare_to is None)


def schema_drift(connection: Connection) -> list:
    """What the models declare that the migrated database does not have (empty when they agree)."""
    from guichet.db import Base, import_models
    import_models()
    context = MigrationContext.configure(connection, opts={"include_object": include_object})
    return compare_metadata(context, Base.metadata)
