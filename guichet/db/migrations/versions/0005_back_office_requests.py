"""Requests in the back office: service, owner, legal due date, events, messages, missing documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 06:11:18.320858
"""
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

FORMS_DIR = Path(__file__).resolve().parents[4] / "site" / "forms"


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('missing_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['staff_members.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('missing_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_missing_documents_request_id'), ['request_id'], unique=False)

    op.create_table('request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_members.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_events_request_id'), ['request_id'], unique=False)

    op.create_table('request_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sender', sa.String(length=12), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('request_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_messages_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('request_statuses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_request_statuses_actor_id', 'staff_members', ['actor_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_requests_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_received_at'), ['received_at'], unique=False)
        batch_op.create_index('ix_requests_service_status_due', ['service', 'status', 'decision_due'], unique=False)
        batch_op.create_foreign_key('fk_requests_owner_id', 'staff_members', ['owner_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_stored_files_message_id', 'request_messages', ['message_id'], ['id'], ondelete='CASCADE')

    _backfill_services()


def _backfill_services() -> None:
    """Requests sent before this revision get the service of their démarche, as new ones do at submission."""
    requests = sa.table("requests", sa.column("demarche", sa.String), sa.column("service", sa.String))
    for path in sorted(FORMS_DIR.glob("*.yaml")) if FORMS_DIR.is_dir() else []:
        definition = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(definition, dict) and definition.get("service"):
            op.execute(requests.update().where(requests.c.demarche == definition.get("slug", path.stem))
                       .values(service=definition["service"]))



def downgrade() -> None:
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_constraint('fk_stored_files_message_id', type_='foreignkey')
        batch_op.drop_column('message_id')

    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_requests_owner_id', type_='foreignkey')
        batch_op.drop_index('ix_requests_service_status_due')
        batch_op.drop_index(batch_op.f('ix_requests_received_at'))
        batch_op.drop_index('ix_requests_owner_status')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('decision_due')
        batch_op.drop_column('owner_id')
        batch_op.drop_column('service')

    with op.batch_alter_table('request_statuses', schema=None) as batch_op:
        batch_op.drop_constraint('fk_request_statuses_actor_id', type_='foreignkey')
        batch_op.drop_column('actor_id')

    with op.batch_alter_table('request_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_messages_request_id'))

    op.drop_table('request_messages')
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_events_request_id'))

    op.drop_table('request_events')
    with op.batch_alter_table('missing_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_missing_documents_request_id'))

    op.drop_table('missing_documents')
