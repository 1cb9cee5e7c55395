"""number events, written by triggers in the transaction that changes a number

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Every change a client can see becomes a row of `number_event` in the same transaction
as the change, so an event exists exactly when its change committed: a rolled-back
purchase writes none, a pending one writes its PURCHASED when it becomes active (by the
request or the reconciler), a release writes RELEASED when the row is deleted, with the
number as it was. Leases and deadlines of the reconciler are not changes.

- PURCHASED: a row inserted active, or pending → active.
- TRANSFERRED: an active row whose account changed (previous_account_sid says from where).
- UPDATED: an active row any of whose columns a client sees changed (not its status,
  the reconciler's deadline and lease, or date_updated, which has one-second resolution).
- RELEASED: a row deleted while active or releasing.

PostgreSQL: statement-level triggers over transition tables (a bulk load is one
statement, not a million), tagged with the transaction id and announced with
`pg_notify('number_events', txid)`, which PostgreSQL delivers only at commit, once
per transaction and payload. A bulk load may set `SET LOCAL gateway.number_events =
'off'` to write none. SQLite: row triggers; its single writer makes ids commit-ordered.

The snapshot lists the columns of incoming_phone_number as they are at this revision:
a later revision that adds a column must recreate these triggers.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_PATH = "(SELECT path FROM account WHERE sid = {row}.account_sid)"
#: columns whose change is no news to a client
_BOOKKEEPING = ("status", "outcome_due_at", "reconciling_until", "date_updated")


def _sqlite_triggers(columns: list[str]) -> list[str]:
    def snapshot(row: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"

    def insert(kind: str, row: str, previous: str = "NULL") -> str:
        return (f"INSERT INTO number_event (tx, type, number_sid, account_sid, account_path, previous_account_sid,"
                f" number, occurred_at) VALUES (0, '{kind}', {row}.sid, {row}.account_sid, {_PATH.format(row=row)},"
                f" {previous}, {snapshot(row)}, CURRENT_TIMESTAMP);")

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns if c not in _BOOKKEEPING)
    return [
        f"""CREATE TRIGGER number_event_insert AFTER INSERT ON incoming_phone_number
            WHEN NEW.status = 'active' BEGIN {insert('PURCHASED', 'NEW')} END""",
        f"""CREATE TRIGGER number_event_delete AFTER DELETE ON incoming_phone_number
            WHEN OLD.status IN ('active', 'releasing') BEGIN {insert('RELEASED', 'OLD')} END""",
        f"""CREATE TRIGGER number_event_activate AFTER UPDATE ON incoming_phone_number
            WHEN OLD.status = 'pending' AND NEW.status = 'active' BEGIN {insert('PURCHASED', 'NEW')} END""",
        f"""CREATE TRIGGER number_event_transfer AFTER UPDATE ON incoming_phone_number
            WHEN OLD.status = 'active' AND NEW.status = 'active' AND OLD.account_sid != NEW.account_sid
            BEGIN {insert('TRANSFERRED', 'NEW', 'OLD.account_sid')} END""",
        f"""CREATE TRIGGER number_event_update AFTER UPDATE ON incoming_phone_number
            WHEN OLD.status = 'active' AND NEW.status = 'active' AND OLD.account_sid = NEW.account_sid
             AND ({changed})
            BEGIN {insert('UPDATED', 'NEW')} END""",
    ]


_PG_VISIBLE = "(to_jsonb({row}) - " + " - ".join(f"'{c}'" for c in _BOOKKEEPING) + ")"
_PG_ENABLED = "coalesce(current_setting('gateway.number_events', true), 'on') <> 'off'"
_PG_COLUMNS = ("tx, type, number_sid, account_sid, account_path, previous_account_sid, number, occurred_at")
POSTGRESQL_TRIGGERS = (
    f"""CREATE FUNCTION number_events_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF {_PG_ENABLED} THEN
           INSERT INTO number_event ({_PG_COLUMNS})
             SELECT txid_current(), 'PURCHASED', n.sid, n.account_sid, a.path, NULL, row_to_json(n)::text, now()
             FROM new_rows n JOIN account a ON a.sid = n.account_sid WHERE n.status = 'active' ORDER BY n.sid;
           IF FOUND THEN PERFORM pg_notify('number_events', txid_current()::text); END IF;
         END IF;
         RETURN NULL;
       END $$""",
    f"""CREATE FUNCTION number_events_delete() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF {_PG_ENABLED} THEN
           INSERT INTO number_event ({_PG_COLUMNS})
             SELECT txid_current(), 'RELEASED', o.sid, o.account_sid, a.path, NULL, row_to_json(o)::text, now()
             FROM old_rows o JOIN account a ON a.sid = o.account_sid
             WHERE o.status IN ('active', 'releasing') ORDER BY o.sid;
           IF FOUND THEN PERFORM pg_notify('number_events', txid_current()::text); END IF;
         END IF;
         RETURN NULL;
       END $$""",
    f"""CREATE FUNCTION number_events_update() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF {_PG_ENABLED} THEN
           INSERT INTO number_event ({_PG_COLUMNS})
             SELECT txid_current(),
                    CASE WHEN o.status = 'pending' THEN 'PURCHASED'
                         WHEN o.account_sid <> n.account_sid THEN 'TRANSFERRED' ELSE 'UPDATED' END,
                    n.sid, n.account_sid, a.path,
                    CASE WHEN o.status = 'active' AND o.account_sid <> n.account_sid THEN o.account_sid END,
                    row_to_json(n)::text, now()
             FROM new_rows n JOIN old_rows o ON o.sid = n.sid JOIN account a ON a.sid = n.account_sid
             WHERE n.status = 'active' AND (o.status = 'pending' OR (o.status = 'active'
                   AND (o.account_sid <> n.account_sid
                        OR {_PG_VISIBLE.format(row="n")} IS DISTINCT FROM {_PG_VISIBLE.format(row="o")})))
             ORDER BY n.sid;
           IF FOUND THEN PERFORM pg_notify('number_events', txid_current()::text); END IF;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER number_events_insert AFTER INSERT ON incoming_phone_number
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION number_events_insert()""",
    """CREATE TRIGGER number_events_delete AFTER DELETE ON incoming_phone_number
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION number_events_delete()""",
    """CREATE TRIGGER number_events_update AFTER UPDATE ON incoming_phone_number
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION number_events_update()""",
)


def upgrade() -> None:
    op.create_table(
        'number_event',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, autoincrement=True),
        sa.Column('tx', sa.BigInteger(), nullable=False),
        sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('number_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
        sa.Column('account_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
        sa.Column('account_path', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
        sa.Column('previous_account_sid', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=True),
        sa.Column('number', sa.Text(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_number_event_tx'), 'number_event', ['tx'], unique=False)
    op.create_index(op.f('ix_number_event_occurred_at'), 'number_event', ['occurred_at'], unique=False)
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        statements: list[str] = list(POSTGRESQL_TRIGGERS)
    else:
        columns = [c["name"] for c in sa.inspect(connection).get_columns("incoming_phone_number")]
        statements = _sqlite_triggers(columns)
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER number_events_{name} ON incoming_phone_number")
            op.execute(f"DROP FUNCTION number_events_{name}()")
    else:
        for name in ("insert", "delete", "activate", "transfer", "update"):
            op.execute(f"DROP TRIGGER number_event_{name}")
    op.drop_index(op.f('ix_number_event_occurred_at'), table_name='number_event')
    op.drop_index(op.f('ix_number_event_tx'), table_name='number_event')
    op.drop_table('number_event')
