"""Alembic environment: always run through gateway.storage.migrate with a connection."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from gateway.storage import tables  # noqa: F401  (registers the tables)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
