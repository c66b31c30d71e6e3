"""The back-office queue: folded name and email columns for free-text search, indexes for its filters

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 07:30:00
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

NAME_KEYS = ("identite_prenom", "identite_nom", "identite_raison_sociale", "identite_nom_association")


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('search_email', sa.String(length=254), nullable=True))
        batch_op.create_index('ix_requests_queue_order',
                              ['decision_due', 'received_at', 'id', 'service', 'status', 'owner_id'], unique=False)
        batch_op.create_index('ix_requests_service_status_owner', ['service', 'status', 'owner_id', 'decision_due'],
                              unique=False)
    _backfill_search_columns()


def _fold(value: str) -> str:
    """Frozen copy of guichet.content.textfold.fold at this revision (a migration never imports the app)."""
    decomposed = unicodedata.normalize("NFKD", value.replace("’", "'").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _backfill_search_columns() -> None:
    """Requests sent before this revision get the same search columns as new ones get at submission."""
    requests = sa.table("requests", sa.column("id", sa.Integer), sa.column("identity", sa.JSON),
                        sa.column("email", sa.String), sa.column("search_name", sa.String),
                        sa.column("search_email", sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(requests.c.id, requests.c.identity, requests.c.email)).all():
        identity = row.identity or {}
        names = " ".join(str(identity.get(key) or "") for key in NAME_KEYS).split()
        connection.execute(requests.update().where(requests.c.id == row.id).values(
            search_name=_fold(" ".join(names))[:300] or None,
            search_email=(row.email or "").strip().lower()[:254] or None))


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_service_status_owner')
        batch_op.drop_index('ix_requests_queue_order')
        batch_op.drop_column('search_email')
        batch_op.drop_column('search_name')
