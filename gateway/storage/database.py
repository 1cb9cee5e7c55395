"""The engine, and the one way to the database: `Database.session()`.

Connection discipline (each rule was broken by a bug we shipped):

- A pool of `pool_size` connections per process, no overflow, and a bounded wait for
  one: when none frees up within `pool_timeout` seconds the caller gets
  `ServiceUnavailable` (503 with Retry-After), never a 30 s stall and a 500.
- A task holds at most one session: opening a second inside the first (two
  connections for one piece of work, the deadlock of a small pool) is a RuntimeError.
- `RequestDatabase` is one request's view: its sibling tasks (GraphQL resolvers run
  concurrently) take turns, so a request holds at most one connection at a time.
- `holds_session()` tells whether the current task holds one; the instrumented carrier
  refuses to be called while it does (no connection is held across a carrier call).
- Sessions never expire what they loaded (`expire_on_commit=False`) and there are no
  relationships to lazy-load: a row read in a session stays readable after it closes.
  After a rollback nothing read in that session is used again.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from typing import Any, AsyncIterator, Protocol

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.domain.errors import ServiceUnavailable
from gateway.storage import tables  # noqa: F401  (registers the tables on the metadata)

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
DEFAULT_POOL_SIZE = 10
DEFAULT_POOL_TIMEOUT = 5.0

#: the Database whose session the current task holds, if any
_holding: contextvars.ContextVar[object | None] = contextvars.ContextVar("gateway_holding_session", default=None)


def async_url(url: str) -> str:
    """`sqlite:///x.db` → `sqlite+aiosqlite:///x.db`, `postgresql://` → asyncpg."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    backend = parsed.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(
            f"GATEWAY_DATABASE_URL: unsupported database {backend!r}; use sqlite:/// or postgresql://"
        )
    return parsed.set(drivername=_ASYNC_DRIVERS[backend]).render_as_string(hide_password=False)


def create_engine(
    url: str, *, pool_size: int = DEFAULT_POOL_SIZE, pool_timeout: float = DEFAULT_POOL_TIMEOUT, **kwargs: Any
) -> AsyncEngine:
    engine = create_async_engine(
        async_url(url), pool_size=pool_size, max_overflow=0, pool_timeout=pool_timeout, **kwargs
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer commits; busy_timeout makes concurrent
    # writers wait (a bounded 10 s) for the lock instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def holds_session() -> bool:
    """Whether the current task holds a database session (of any Database)."""
    return _holding.get() is not None


class Sessions(Protocol):
    """What the services need of the database: short sessions, one at a time."""

    def session(self) -> contextlib.AbstractAsyncContextManager[AsyncSession]: ...


class Database:
    """The process's database: an engine, its bounded pool, and sessions on it."""

    def __init__(self, engine: AsyncEngine, *, pool_timeout: float = DEFAULT_POOL_TIMEOUT) -> None:
        self.engine = engine
        self.pool_timeout = pool_timeout
        self._sessionmaker = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @classmethod
    def connect(
        cls, url: str, *, pool_size: int = DEFAULT_POOL_SIZE, pool_timeout: float = DEFAULT_POOL_TIMEOUT
    ) -> "Database":
        return cls(create_engine(url, pool_size=pool_size, pool_timeout=pool_timeout), pool_timeout=pool_timeout)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        if _holding.get() is not None:
            raise RuntimeError("this task already holds a database session; finish it before opening another")
        token = _holding.set(self)
        try:
            async with self._sessionmaker() as session:
                yield session
        except PoolTimeout:
            raise busy(self.pool_timeout) from None
        finally:
            _holding.reset(token)

    async def ping(self) -> None:
        """One round trip: raises if the database does not answer."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    def for_request(self) -> "RequestDatabase":
        return RequestDatabase(self)

    async def dispose(self) -> None:
        await self.engine.dispose()


class RequestDatabase:
    """One request's sessions: its tasks take turns, so it holds one connection at most."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._turn = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        if _holding.get() is not None:  # before waiting for our own turn: that would never come
            raise RuntimeError("this task already holds a database session; finish it before opening another")
        try:
            async with asyncio.timeout(self.database.pool_timeout):
                await self._turn.acquire()
        except TimeoutError:
            raise busy(self.database.pool_timeout) from None
        try:
            async with self.database.session() as session:
                yield session
        finally:
            self._turn.release()


def busy(waited: float) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"the gateway is busy: no database connection became free within {waited:g} s; retry"
    )


async def migrate_schema(engine: AsyncEngine) -> None:
    """Bring the database to this build's schema with the Alembic migrations."""
    from gateway.storage.migrate import upgrade

    await upgrade(engine)
