"""Cancelled appointments stay (the agents' agenda shows them): a cancellation time, and the one-booking-per-desk
rule only over appointments not cancelled

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

NOT_CANCELLED = sa.text('cancelled_at IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('appointments') as batch:
        batch.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint('uq_appointments_slot', type_='unique')
    op.create_index('uq_appointments_booked_slot', 'appointments', ['service', 'start', 'desk'], unique=True,
                    sqlite_where=NOT_CANCELLED, postgresql_where=NOT_CANCELLED)


def downgrade() -> None:
    """Cancelled appointments had no row before: they go, so that the old constraint holds."""
    op.execute("DELETE FROM appointments WHERE cancelled_at IS NOT NULL")
    op.drop_index('uq_appointments_booked_slot', table_name='appointments')
    with op.batch_alter_table('appointments') as batch:
        batch.create_unique_constraint('uq_appointments_slot', ['service', 'start', 'desk'])
        batch.drop_column('cancelled_at')
