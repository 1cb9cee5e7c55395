"""Alembic migrations: empty → head, first revision → head with data kept, the models
match the migrations, and a database newer than the code is refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from gateway.app import create_app
from gateway.settings import Settings
from gateway.storage.database import create_engine
from gateway.storage.migrate import SchemaTooNew, current_revision, head_revision, upgrade

FIRST_REVISION = "0001"


async def test_empty_database_upgrades_to_head_and_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
            )
        assert differences == [], "models changed without a migration: add one under storage/migrations"
        await upgrade(engine)  # a second run is a no-op
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_upgrade_from_the_first_revision_keeps_data(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine, FIRST_REVISION)
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO account (sid, friendly_name, email, status, role, organization_sid, path,"
                " auth_token_hash, date_created, date_updated) VALUES ('AC' || :hex, 'old', 'old@example.com',"
                " 'active', 'Administrator', 'AC' || :hex, '/AC' || :hex || '/', 'x', :now, :now)"
            ), {"hex": "1" * 32, "now": datetime(2020, 1, 1)})
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as connection:
            emails = (await connection.execute(text("SELECT email FROM account"))).scalars().all()
        assert emails == ["old@example.com"]
    finally:
        await engine.dispose()


async def test_a_newer_database_is_refused(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    finally:
        await engine.dispose()
    app = create_app(Settings(database_url=database_url))
    with pytest.raises(SchemaTooNew, match="f00dfeedbeef.*newer than this gateway knows"):
        async with app.router.lifespan_context(app):
            pass
