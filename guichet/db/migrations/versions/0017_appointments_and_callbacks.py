"""Appointments (weekly openings, closures, bookings), call-back requests, email attachments

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appointment_patterns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('desks', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_appointment_patterns_service'), 'appointment_patterns', ['service'], unique=False)
    op.create_table('appointment_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service', 'day')
    )
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('desk', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('origin', sa.String(length=500), nullable=True),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booked_by_id'], ['staff_members.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service', 'start', 'desk', name='uq_appointments_slot'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_appointments_start'), 'appointments', ['start'], unique=False)
    op.create_table('callback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('periods', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('origin', sa.String(length=500), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handled_by_id'], ['staff_members.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_callback_requests_service'), 'callback_requests', ['service'], unique=False)
    op.create_index(op.f('ix_callback_requests_status'), 'callback_requests', ['status'], unique=False)
    op.create_index(op.f('ix_callback_requests_created_at'), 'callback_requests', ['created_at'], unique=False)
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('attachments', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('attachments')
    op.drop_index(op.f('ix_callback_requests_created_at'), table_name='callback_requests')
    op.drop_index(op.f('ix_callback_requests_status'), table_name='callback_requests')
    op.drop_index(op.f('ix_callback_requests_service'), table_name='callback_requests')
    op.drop_table('callback_requests')
    op.drop_index(op.f('ix_appointments_start'), table_name='appointments')
    op.drop_table('appointments')
    op.drop_table('appointment_closures')
    op.drop_index(op.f('ix_appointment_patterns_service'), table_name='appointment_patterns')
    op.drop_table('appointment_patterns')
