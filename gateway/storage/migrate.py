"""Schema migrations with Alembic: bring a database to the current schema, or refuse
one that is newer than this build knows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")
#: any constant: serialises migrations of gateway processes starting together on PostgreSQL
_ADVISORY_LOCK = 0x6E756D62


class SchemaTooNew(RuntimeError):
    pass


def _config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _current(connection: Any) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Any, target: str) -> None:
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    current = _current(connection)
    if current is not None and current not in known:
        raise SchemaTooNew(
            f"the database is at schema revision {current}, newer than this gateway knows "
            f"(latest {head_revision()}); upgrade the gateway instead"
        )
    command.upgrade(_config(connection), target)


async def upgrade(engine: AsyncEngine, target: str = "head") -> None:
    """Migrate to `target`; on PostgreSQL under an advisory lock so that processes
    starting at the same moment migrate one after another."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})"))
        await connection.run_sync(_upgrade, target)


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)
