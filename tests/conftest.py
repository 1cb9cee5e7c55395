"""Fixtures: every test that uses `app` runs once on SQLite and once on PostgreSQL.

PostgreSQL is a real server started for the session on loopback
(`tests/support/postgres.py`); each test gets a database of its own.
"""

from __future__ import annotations

import itertools
import os
from typing import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app, serving_stack
from gateway.services.accounts import create_account
from gateway.settings import Settings
from gateway.storage.database import Database
from gateway.storage.tables import Account
from tests.support.accounts import ADMIN_EMAIL, ADMIN_SID, ADMIN_TOKEN, Credentials
from tests.support.postgres import PostgresServer, start_postgres

_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    yield server
    server.stop()


async def new_postgres_database(server: PostgresServer) -> str:
    name = f"gw_{next(_database_numbers)}"
    admin = await asyncpg.connect(server.url)
    try:
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    return server.url.rsplit("/", 1)[0] + "/" + name


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on a database runs on SQLite and on PostgreSQL; one marked
    `one_database` (its behaviour does not depend on the database: wire formats, limits,
    refusals before any query) runs on SQLite only."""
    if "database_url" in metafunc.fixturenames:
        once = metafunc.definition.get_closest_marker("one_database") is not None
        metafunc.parametrize("database_url", ["sqlite"] if once else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db')}/gateway.db"
        return
    yield await new_postgres_database(request.getfixturevalue("postgres"))


@pytest.fixture
async def postgres_database(postgres: PostgresServer) -> str:
    """A fresh database on the test PostgreSQL, for tests about PostgreSQL itself."""
    return await new_postgres_database(postgres)


@pytest.fixture
def settings(database_url: str) -> Settings:
    # scripts/dev test runs the GraphQL tests a second time with GATEWAY_GRAPHQL_COMPILER=off:
    # every answer they check must also be graphql-core's own.
    compiler = Settings.from_env({"GATEWAY_GRAPHQL_COMPILER": os.environ.get("GATEWAY_GRAPHQL_COMPILER", "")})
    return Settings(database_url=database_url, admin_token=ADMIN_TOKEN, graphql_compiler=compiler.graphql_compiler)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def database(app: Starlette) -> Database:
    return app.state.database  # type: ignore[no-any-return]


@pytest.fixture
def sessionmaker(database: Database):  # type: ignore[no-untyped-def]
    """`async with sessionmaker() as session:` for tests that read or arrange rows directly."""
    return database.session


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=serving_stack(app), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def admin(app: Starlette) -> Credentials:
    return Credentials(ADMIN_SID, ADMIN_TOKEN, ADMIN_EMAIL)


_emails = itertools.count()


@pytest.fixture
def make_account(database: Database):  # type: ignore[no-untyped-def]
    """Create an account under `parent` (a Credentials or None for a new organization)."""

    async def make(
        parent: Credentials | None, *, role: str = "Administrator", status: str = "active"
    ) -> Credentials:
        async with database.session() as session:
            parent_row = await session.get(Account, parent.sid) if parent else None
        created = await create_account(
            db=database, email=f"user{next(_emails)}@example.com", parent=parent_row, role=role
        )
        if status != "active":
            async with database.session() as session:
                created.account.status = status
                session.add(created.account)
                await session.commit()
        return Credentials(created.account.sid, created.auth_token, created.account.email)

    return make

