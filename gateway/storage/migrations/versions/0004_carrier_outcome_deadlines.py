"""when each unsettled number's carrier outcome is due, and the reconciler's lease

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Plain ADD COLUMN and CREATE INDEX, not batch mode: on SQLite a batch copy of the table
# would drop the account-total triggers of migration 0003.


def upgrade() -> None:
    op.add_column('incoming_phone_number', sa.Column('outcome_due_at', sa.DateTime(), nullable=True))
    op.add_column('incoming_phone_number', sa.Column('reconciling_until', sa.DateTime(), nullable=True))
    # Rows left unsettled by an older gateway: their carrier call ended long ago (its grace
    # was 60 s after the last change); the reconciler asks about them at once.
    op.execute(
        "UPDATE incoming_phone_number SET outcome_due_at = date_updated "
        "WHERE status IN ('pending', 'releasing')"
    )
    op.drop_index('ix_number_status_updated', table_name='incoming_phone_number')
    op.create_index('ix_number_status_due', 'incoming_phone_number', ['status', 'outcome_due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_number_status_due', table_name='incoming_phone_number')
    op.create_index('ix_number_status_updated', 'incoming_phone_number', ['status', 'date_updated'], unique=False)
    op.drop_column('incoming_phone_number', 'reconciling_until')
    op.drop_column('incoming_phone_number', 'outcome_due_at')
