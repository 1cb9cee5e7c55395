"""PostgreSQL notifications: a dedicated connection that LISTENs on one channel.

Not a pooled connection: a listener stays connected as long as the process serves,
and a pooled one would be handed to requests in between.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from gateway.storage.database import Database

#: seconds without a notification after which the connection is checked
_CHECK_EVERY = 5.0


async def notifications(database: Database, channel: str, ready: asyncio.Event) -> AsyncIterator[str]:
    """Each payload notified on `channel`, in commit order; `ready` is set once listening.
    Ends with the connection's error if the database goes away."""
    url = database.engine.url.set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    payloads: asyncio.Queue[str] = asyncio.Queue()

    def notified(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
        payloads.put_nowait(payload)

    try:
        await connection.add_listener(channel, notified)
        ready.set()
        while True:
            try:
                payload = await asyncio.wait_for(payloads.get(), timeout=_CHECK_EVERY)
            except TimeoutError:  # quiet: make sure the connection still lives
                await connection.execute("SELECT 1")
                continue
            yield payload
    finally:
        await connection.close()
