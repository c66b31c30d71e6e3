"""Indicators: funnel journeys and error messages, satisfaction invites, daily roll-ups

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('funnel_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('journey', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('messages', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_funnel_events_journey'), ['journey'], unique=False)
        batch_op.create_index(batch_op.f('ix_funnel_events_at'), ['at'], unique=False)
    op.create_table('satisfaction_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('demarche', sa.String(length=80), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['satisfaction_answers.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('funnel_step_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('demarche', sa.String(length=80), nullable=False),
    sa.Column('step', sa.String(length=80), nullable=False),
    sa.Column('reached', sa.Integer(), nullable=False),
    sa.Column('went_on', sa.Integer(), nullable=False),
    sa.Column('left', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('timeouts', sa.Integer(), nullable=False),
    sa.Column('saves', sa.Integer(), nullable=False),
    sa.Column('started', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'demarche', 'step')
    )
    op.create_table('field_error_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('demarche', sa.String(length=80), nullable=False),
    sa.Column('step', sa.String(length=80), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'demarche', 'step', 'field', 'message')
    )
    op.create_table('duration_rollups',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('demarche', sa.String(length=80), nullable=False),
    sa.Column('span', sa.String(length=5), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'demarche', 'span', 'day', 'subject', 'value')
    )
    op.create_table('search_miss_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('query', sa.String(length=100), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'query')
    )
    op.create_table('satisfaction_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('demarche', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('clear', sa.Integer(), nullable=False),
    sa.Column('helped', sa.Integer(), nullable=False),
    sa.Column('alone', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'demarche', 'channel')
    )
    op.create_table('request_daily',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('demarche', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('decided', sa.Integer(), nullable=False),
    sa.Column('decided_in_time', sa.Integer(), nullable=False),
    sa.Column('with_delay', sa.Integer(), nullable=False),
    sa.Column('implicit', sa.Integer(), nullable=False),
    sa.Column('missing_asked', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'demarche', 'channel')
    )


def downgrade() -> None:
    op.drop_table('request_daily')
    op.drop_table('satisfaction_daily')
    op.drop_table('search_miss_daily')
    op.drop_table('duration_rollups')
    op.drop_table('field_error_daily')
    op.drop_table('funnel_step_daily')
    op.drop_table('satisfaction_invites')
    with op.batch_alter_table('funnel_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funnel_events_at'))
        batch_op.drop_index(batch_op.f('ix_funnel_events_journey'))
        batch_op.drop_column('messages')
        batch_op.drop_column('journey')
