"""account number totals, kept by triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# One trigger family per dialect: an account's total moves by one whenever a visible
# (not pending) number is inserted, deleted, changes status or changes account.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER number_total_insert AFTER INSERT ON incoming_phone_number
       WHEN NEW.status != 'pending' BEGIN
         INSERT INTO account_number_total (account_sid, total) VALUES (NEW.account_sid, 1)
         ON CONFLICT (account_sid) DO UPDATE SET total = total + 1;
       END""",
    """CREATE TRIGGER number_total_delete AFTER DELETE ON incoming_phone_number
       WHEN OLD.status != 'pending' BEGIN
         UPDATE account_number_total SET total = total - 1 WHERE account_sid = OLD.account_sid;
       END""",
    """CREATE TRIGGER number_total_update AFTER UPDATE OF status, account_sid ON incoming_phone_number BEGIN
         UPDATE account_number_total SET total = total - 1
           WHERE account_sid = OLD.account_sid AND OLD.status != 'pending';
         INSERT INTO account_number_total (account_sid, total) SELECT NEW.account_sid, 1
           WHERE NEW.status != 'pending'
         ON CONFLICT (account_sid) DO UPDATE SET total = total + 1;
       END""",
)
POSTGRESQL_TRIGGERS = (
    """CREATE FUNCTION number_total() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.status <> 'pending' THEN
           UPDATE account_number_total SET total = total - 1 WHERE account_sid = OLD.account_sid;
         END IF;
         IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'pending' THEN
           INSERT INTO account_number_total (account_sid, total) VALUES (NEW.account_sid, 1)
           ON CONFLICT (account_sid) DO UPDATE SET total = account_number_total.total + 1;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER number_total AFTER INSERT OR DELETE OR UPDATE OF status, account_sid
       ON incoming_phone_number FOR EACH ROW EXECUTE FUNCTION number_total()""",
)


def upgrade() -> None:
    op.create_table('account_number_total',
    sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('account_sid')
    )
    op.execute(
        "INSERT INTO account_number_total (account_sid, total) SELECT account_sid, count(*) "
        "FROM incoming_phone_number WHERE status != 'pending' GROUP BY account_sid"
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER number_total ON incoming_phone_number")
        op.execute("DROP FUNCTION number_total()")
    else:
        for name in ("number_total_insert", "number_total_delete", "number_total_update"):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('account_number_total')
