"""Failed sign-ins per (username, client address), counted in a fixed window.

One row per pair; the first failure opens a window, each further one inside it counts,
and the first after it opens a new window. The upsert is one statement, so concurrent
failures on any number of instances all count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.storage.tables import AuthFailure


async def failures_since(session: AsyncSession, subject: str, address: str, since: datetime) -> AuthFailure | None:
    """The pair's row if its window opened at `since` or later (older windows are over)."""
    row = await session.get(AuthFailure, (subject, address), populate_existing=True)
    return row if row is not None and row.window_start >= since else None


async def record_failure(session: AsyncSession, subject: str, address: str, now: datetime, window_opened_after: datetime) -> None:
    """Count one failure: in the open window (opened after `window_opened_after`), or a new one."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # In the conflict clause the columns are the existing row's.
    started, failures = col(AuthFailure.window_start), col(AuthFailure.failures)
    still_open = started > window_opened_after
    statement = insert(AuthFailure).values(subject=subject, address=address, window_start=now, failures=1)
    statement = statement.on_conflict_do_update(
        index_elements=["subject", "address"],
        set_={
            "failures": case((still_open, failures + 1), else_=1),
            "window_start": case((still_open, started), else_=now),
        },
    )
    await session.exec(statement)
    # Windows long over are of no use to anyone: drop them as we go (indexed).
    await session.exec(delete(AuthFailure).where(col(AuthFailure.window_start) <= window_opened_after))
    await session.commit()

