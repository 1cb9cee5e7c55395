"""credentials at rest: salted slow hashes, API keys, sign-in failures

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Before this revision an account's auth token was stored as its unsalted SHA-256. A
token may be the MD5 of a password (Restcomm's rule), so that made a stolen database a
cheap offline guess of every password. Each stored SHA-256 is wrapped here in a salted
scrypt (`services.secrets.slow_hash_of_sha256`): no token needs to be known, and every
token keeps working, the bootstrap account's included. Wrapping costs about 50 ms of
CPU per account, spread over the machine's cores.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
import sqlmodel
from alembic import op

from gateway.storage.secret_hashes import slow_hash_of_sha256

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite 3.35+ drops columns natively), not batch mode.
    op.add_column('account', sa.Column(
        'secret_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False, server_default=''))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT sid, auth_token_hash FROM account")).all()
    # hashlib.scrypt releases the GIL: threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        wrapped = list(pool.map(slow_hash_of_sha256, [old for _, old in rows]))
    for (sid, _), secret_hash in zip(rows, wrapped, strict=True):
        connection.execute(sa.text("UPDATE account SET secret_hash = :h WHERE sid = :sid"), {"h": secret_hash, "sid": sid})
    op.drop_column('account', 'auth_token_hash')

    op.create_table(
        'api_key',
        sa.Column('sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
        sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('friendly_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('date_created', sa.DateTime(), nullable=False),
        sa.Column('date_updated', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_sid'], ['account.sid']),
        sa.PrimaryKeyConstraint('sid'),
    )
    op.create_index(op.f('ix_api_key_account_sid'), 'api_key', ['account_sid'], unique=False)
    op.create_table(
        'auth_failure',
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('window_start', sa.DateTime(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('subject', 'address'),
    )
    op.create_index(op.f('ix_auth_failure_window_start'), 'auth_failure', ['window_start'], unique=False)


def downgrade() -> None:
    # The unsalted hashes cannot be recovered from the slow ones: a downgrade keeps no
    # working token, by design. Set new ones with `gateway accounts rotate-token`.
    op.drop_index(op.f('ix_auth_failure_window_start'), table_name='auth_failure')
    op.drop_table('auth_failure')
    op.drop_index(op.f('ix_api_key_account_sid'), table_name='api_key')
    op.drop_table('api_key')
    op.add_column('account', sa.Column(
        'auth_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=''))
    op.drop_column('account', 'secret_hash')
