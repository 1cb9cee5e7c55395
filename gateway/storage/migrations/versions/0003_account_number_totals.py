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

# An account's total moves whenever a visible (not pending) number is inserted,
# deleted, changes status or changes account. SQLite: row-level triggers.
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
# PostgreSQL: statement-level triggers over transition tables, so a bulk statement
# (a COPY of a million rows) updates each account's total once, not once per row.
# (Transition tables allow one event per trigger and no column list: three triggers.)
POSTGRESQL_TRIGGERS = (
    """CREATE FUNCTION number_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO account_number_total (account_sid, total)
           SELECT account_sid, count(*) FROM new_rows WHERE status <> 'pending' GROUP BY account_sid
         ON CONFLICT (account_sid) DO UPDATE SET total = account_number_total.total + EXCLUDED.total;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION number_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE account_number_total AS t SET total = t.total - gone.n
           FROM (SELECT account_sid, count(*) AS n FROM old_rows WHERE status <> 'pending'
                 GROUP BY account_sid) AS gone
           WHERE t.account_sid = gone.account_sid;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION number_totals_move() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE account_number_total AS t SET total = t.total - gone.n
           FROM (SELECT account_sid, count(*) AS n FROM old_rows WHERE status <> 'pending'
                 GROUP BY account_sid) AS gone
           WHERE t.account_sid = gone.account_sid;
         INSERT INTO account_number_total (account_sid, total)
           SELECT account_sid, count(*) FROM new_rows WHERE status <> 'pending' GROUP BY account_sid
         ON CONFLICT (account_sid) DO UPDATE SET total = account_number_total.total + EXCLUDED.total;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER number_totals_insert AFTER INSERT ON incoming_phone_number
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION number_totals_add()""",
    """CREATE TRIGGER number_totals_delete AFTER DELETE ON incoming_phone_number
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION number_totals_remove()""",
    """CREATE TRIGGER number_totals_update AFTER UPDATE ON incoming_phone_number
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION number_totals_move()""",
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
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER number_totals_{name} ON incoming_phone_number")
        for name in ("add", "remove", "move"):
            op.execute(f"DROP FUNCTION number_totals_{name}()")
    else:
        for name in ("number_total_insert", "number_total_delete", "number_total_update"):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('account_number_total')
