"""idempotency records and unsettled-number indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('idempotency_record',
    sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('number_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=True),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('error_message', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=True),
    sa.Column('error_field', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('date_created', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('account_sid', 'key')
    )
    with op.batch_alter_table('incoming_phone_number', schema=None) as batch_op:
        batch_op.create_index('ix_number_account_status', ['account_sid', 'status'], unique=False)
        batch_op.create_index('ix_number_status_updated', ['status', 'date_updated'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incoming_phone_number', schema=None) as batch_op:
        batch_op.drop_index('ix_number_status_updated')
        batch_op.drop_index('ix_number_account_status')

    op.drop_table('idempotency_record')

