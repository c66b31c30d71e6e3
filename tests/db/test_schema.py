"""The models and the migrations describe the same schema, on SQLite and on PostgreSQL."""
from sqlalchemy import create_engine

from guichet.db.migrate import schema_drift, upgrade


def test_models_match_the_migrations_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.sqlite3'}"
    upgrade(url)
    with create_engine(url).connect() as connection:
        assert schema_drift(connection) == []


def test_models_match_the_migrations_on_postgresql(pg_app):
    with create_engine(pg_app.config["DATABASE_URL"]).connect() as connection:
        assert schema_drift(connection) == []
