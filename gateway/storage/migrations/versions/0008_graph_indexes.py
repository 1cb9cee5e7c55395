"""indexes for the graph: subaccounts and applications in creation order, numbers by application

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Subaccounts and applications are listed oldest first, (date_created, sid), a keyset page
at a time: the composite indexes serve the page and the seek, and replace the single
column indexes on parent_sid and account_sid (a prefix of the new ones). The numbers
routed to an application are found per family (voice, sms, ussd, refer) by a partial
index of each application sid column: Application.incomingPhoneNumbers reads them,
deleting an application clears them, and PostgreSQL's foreign key checks on that delete
look them up instead of scanning every number.

Plain CREATE INDEX, not batch mode: on SQLite a batch copy of incoming_phone_number
would drop the triggers of migrations 0003 and 0007.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

#: the application sid column of each route family (domain.route_families, as of this revision)
APPLICATION_COLUMNS = ('voice_application_sid', 'sms_application_sid', 'ussd_application_sid', 'refer_application_sid')


def upgrade() -> None:
    op.create_index('ix_account_parent_order', 'account', ['parent_sid', 'date_created', 'sid'], unique=False)
    op.drop_index('ix_account_parent_sid', table_name='account')
    op.create_index('ix_application_account_order', 'application', ['account_sid', 'date_created', 'sid'], unique=False)
    op.drop_index('ix_application_account_sid', table_name='application')
    for column in APPLICATION_COLUMNS:
        where = sa.text(f'{column} IS NOT NULL')
        op.create_index(f'ix_number_{column}', 'incoming_phone_number', [column], unique=False,
                        sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for column in APPLICATION_COLUMNS:
        op.drop_index(f'ix_number_{column}', table_name='incoming_phone_number')
    op.create_index('ix_application_account_sid', 'application', ['account_sid'], unique=False)
    op.drop_index('ix_application_account_order', table_name='application')
    op.create_index('ix_account_parent_sid', 'account', ['parent_sid'], unique=False)
    op.drop_index('ix_account_parent_order', table_name='account')
