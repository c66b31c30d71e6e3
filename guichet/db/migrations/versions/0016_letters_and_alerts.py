"""Decision letters and attestations of a request; staff alert preferences and the alerts already sent;
the channel and agent of a draft opened from the back office; the queue's count index also covers its searches

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests') as batch_op:
        batch_op.drop_index('ix_requests_service_status_owner')
        batch_op.create_index('ix_requests_search', ['service', 'status', 'owner_id', 'decision_due', 'channel',
                                                     'reference', 'search_name', 'search_email'], unique=False)
    with op.batch_alter_table('drafts') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('opened_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_drafts_opened_by_staff_members', 'staff_members', ['opened_by'], ['id'],
                                    ondelete='SET NULL')
    op.create_table('request_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=True),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['request_statuses.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['staff_members.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_request_letters_request_id'), 'request_letters', ['request_id'], unique=False)
    op.create_table('alert_preferences',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=60), nullable=False),
    sa.Column('new_requests', sa.String(length=12), nullable=False),
    sa.Column('deadlines', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'service')
    )
    op.create_table('alerts_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'key')
    )


def downgrade() -> None:
    with op.batch_alter_table('drafts') as batch_op:
        batch_op.drop_constraint('fk_drafts_opened_by_staff_members', type_='foreignkey')
        batch_op.drop_column('opened_by')
        batch_op.drop_column('channel')
    with op.batch_alter_table('requests') as batch_op:
        batch_op.drop_index('ix_requests_search')
        batch_op.create_index('ix_requests_service_status_owner', ['service', 'status', 'owner_id', 'decision_due'],
                              unique=False)
    op.drop_table('alerts_sent')
    op.drop_table('alert_preferences')
    op.drop_index(op.f('ix_request_letters_request_id'), table_name='request_letters')
    op.drop_table('request_letters')
