"""Documents registered by automatic persisted queries, by the SHA-256 of their text."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.storage.tables import PersistedQuery, utcnow


async def find(session: AsyncSession, sha256_hash: str) -> str | None:
    row = await session.get(PersistedQuery, sha256_hash)
    return row.document if row is not None else None


async def remember(session: AsyncSession, sha256_hash: str, document: str, *, limit: int) -> bool:
    """Store the document unless `limit` documents are stored already; True if it is
    stored now (by this call or an earlier one). Concurrent registrations of one
    document on any number of instances are one row."""
    stored = (await session.exec(select(func.count()).select_from(PersistedQuery))).one()
    if stored >= limit:
        return await find(session, sha256_hash) is not None
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.exec(
        insert(PersistedQuery).values(sha256_hash=sha256_hash, document=document, date_created=utcnow()).on_conflict_do_nothing()
    )
    await session.commit()
    return True
