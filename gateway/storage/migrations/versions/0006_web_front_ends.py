"""web front-ends: access tokens and automatic persisted queries

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'access_token',
        sa.Column('sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
        sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('date_created', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_sid'], ['account.sid']),
        sa.PrimaryKeyConstraint('sid'),
    )
    op.create_index(op.f('ix_access_token_account_sid'), 'access_token', ['account_sid'], unique=False)
    op.create_index(op.f('ix_access_token_expires_at'), 'access_token', ['expires_at'], unique=False)
    op.create_table(
        'persisted_query',
        sa.Column('sha256_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('date_created', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sha256_hash'),
    )


def downgrade() -> None:
    op.drop_table('persisted_query')
    op.drop_index(op.f('ix_access_token_expires_at'), table_name='access_token')
    op.drop_index(op.f('ix_access_token_account_sid'), table_name='access_token')
    op.drop_table('access_token')
