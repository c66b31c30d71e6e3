"""Satisfaction answers after a démarche or a counter visit

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('satisfaction_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('demarche', sa.String(length=80), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('clarity', sa.String(length=20), nullable=True),
    sa.Column('helpers', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id')
    )
    op.create_index(op.f('ix_satisfaction_answers_demarche'), 'satisfaction_answers', ['demarche'], unique=False)
    op.create_index(op.f('ix_satisfaction_answers_created_at'), 'satisfaction_answers', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_satisfaction_answers_created_at'), table_name='satisfaction_answers')
    op.drop_index(op.f('ix_satisfaction_answers_demarche'), table_name='satisfaction_answers')
    op.drop_table('satisfaction_answers')
