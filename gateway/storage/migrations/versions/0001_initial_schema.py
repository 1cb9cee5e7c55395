"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('account',
    sa.Column('sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('friendly_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('parent_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('organization_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
    sa.Column('auth_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('date_created', sa.DateTime(), nullable=False),
    sa.Column('date_updated', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_sid'], ['account.sid'], ),
    sa.PrimaryKeyConstraint('sid'),
    sa.UniqueConstraint('email')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_organization_sid'), ['organization_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_parent_sid'), ['parent_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_path'), ['path'], unique=False)

    op.create_table('sandbox_sold_number',
    sa.Column('phone_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('sold_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('phone_number')
    )
    op.create_table('application',
    sa.Column('sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('friendly_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('date_created', sa.DateTime(), nullable=False),
    sa.Column('date_updated', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_sid'], ['account.sid'], ),
    sa.PrimaryKeyConstraint('sid')
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_account_sid'), ['account_sid'], unique=False)

    op.create_table('incoming_phone_number',
    sa.Column('voice_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('voice_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('voice_fallback_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('voice_fallback_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status_callback', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status_callback_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('voice_caller_id_lookup', sa.Boolean(), nullable=False),
    sa.Column('voice_application_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sms_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sms_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sms_fallback_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sms_fallback_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sms_application_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('ussd_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('ussd_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ussd_fallback_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('ussd_fallback_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ussd_application_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('refer_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('refer_method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('refer_application_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('voice_capable', sa.Boolean(), nullable=False),
    sa.Column('sms_capable', sa.Boolean(), nullable=False),
    sa.Column('mms_capable', sa.Boolean(), nullable=False),
    sa.Column('fax_capable', sa.Boolean(), nullable=False),
    sa.Column('sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('organization_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('phone_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('friendly_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('number_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('is_sip', sa.Boolean(), nullable=False),
    sa.Column('beta', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('api_version', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('date_created', sa.DateTime(), nullable=False),
    sa.Column('date_updated', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_sid'], ['account.sid'], ),
    sa.ForeignKeyConstraint(['refer_application_sid'], ['application.sid'], ),
    sa.ForeignKeyConstraint(['sms_application_sid'], ['application.sid'], ),
    sa.ForeignKeyConstraint(['ussd_application_sid'], ['application.sid'], ),
    sa.ForeignKeyConstraint(['voice_application_sid'], ['application.sid'], ),
    sa.PrimaryKeyConstraint('sid')
    )
    with op.batch_alter_table('incoming_phone_number', schema=None) as batch_op:
        batch_op.create_index('ix_number_account_friendly_name', ['account_sid', 'friendly_name'], unique=False)
        batch_op.create_index('ix_number_account_order', ['account_sid', 'phone_number', 'sid'], unique=False)
        batch_op.create_index('ix_number_account_type_order', ['account_sid', 'number_type', 'phone_number', 'sid'], unique=False)
        batch_op.create_index('uq_number_did', ['phone_number'], unique=True, sqlite_where=sa.text('is_sip = 0'), postgresql_where=sa.text('NOT is_sip'))
        batch_op.create_index('uq_number_sip_per_organization', ['organization_sid', 'phone_number'], unique=True, sqlite_where=sa.text('is_sip = 1'), postgresql_where=sa.text('is_sip'))




def downgrade() -> None:
    
    with op.batch_alter_table('incoming_phone_number', schema=None) as batch_op:
        batch_op.drop_index('uq_number_sip_per_organization', sqlite_where=sa.text('is_sip = 1'), postgresql_where=sa.text('is_sip'))
        batch_op.drop_index('uq_number_did', sqlite_where=sa.text('is_sip = 0'), postgresql_where=sa.text('NOT is_sip'))
        batch_op.drop_index('ix_number_account_type_order')
        batch_op.drop_index('ix_number_account_order')
        batch_op.drop_index('ix_number_account_friendly_name')

    op.drop_table('incoming_phone_number')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_account_sid'))

    op.drop_table('application')
    op.drop_table('sandbox_sold_number')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_path'))
        batch_op.drop_index(batch_op.f('ix_account_parent_sid'))
        batch_op.drop_index(batch_op.f('ix_account_organization_sid'))

    op.drop_table('account')

