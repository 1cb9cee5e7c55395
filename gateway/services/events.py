"""Number events for subscribers: what changed, read from the rows the database wrote.

Triggers write a `number_event` row in the very transaction that changes a number
(migration 0007), so an event exists exactly when its change committed. This module
only carries them to the subscribers of this process:

- PostgreSQL: one listening connection per process (`storage.notifications`); each
  commit that wrote events notifies its transaction id, and the hub reads that
  transaction's events. NOTIFY is delivered at commit, in commit order, to every
  gateway process: events reach every instance, in order per number.
- SQLite (one machine, one writer at a time, so ids are in commit order): the hub
  reads the events after the last it delivered, every `POLL_INTERVAL` while anyone
  listens.

A subscriber has a bounded queue (`QUEUE_SIZE`); one that falls behind is told so
(`FellBehind`) and dropped rather than buffered without bound. Nothing is replayed:
a client that was disconnected re-queries what it shows, then subscribes again.
Events older than `RETENTION` are deleted by the server's periodic task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Boolean, DateTime, delete, func
from sqlalchemy import inspect as sa_inspect
from sqlmodel import col, select

from gateway.domain.numbers import NumberEventType
from gateway.storage.database import Database
from gateway.storage.notifications import notifications
from gateway.storage.tables import Account, IncomingPhoneNumber, NumberEvent, utcnow

log = logging.getLogger("gateway.events")

CHANNEL = "number_events"
QUEUE_SIZE = 1000
POLL_INTERVAL = 0.2
RETENTION = timedelta(minutes=10)


class FellBehind(Exception):
    """The subscriber did not take its events as fast as they came."""


class FeedLost(Exception):
    """The process lost its event feed (the database went away): events may be missing."""


@dataclass(frozen=True)
class NumberChange:
    id: int
    type: NumberEventType
    occurred_at: datetime
    account_sid: str
    account_path: str
    #: TRANSFERRED: the account it left, and that account's path
    previous_account_sid: str | None
    previous_account_path: str | None
    #: the number after the change; for RELEASED, as it was
    number: IncomingPhoneNumber

    def concerns(self, account_path: str) -> bool:
        """Whether a subscriber of the account at `account_path` (and its subtree) sees it."""
        return self.account_path.startswith(account_path) or (
            self.previous_account_path is not None and self.previous_account_path.startswith(account_path)
        )


@dataclass(eq=False)
class _Subscriber:
    queue: asyncio.Queue[NumberChange | Exception] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: bool = False

    def offer(self, item: NumberChange | Exception) -> None:
        if self.dropped:
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.dropped = True
            while not self.queue.empty():  # make room for the one message that matters now
                self.queue.get_nowait()
            self.queue.put_nowait(FellBehind(f"more than {QUEUE_SIZE} events waited for this subscriber"))


class EventHub:
    """The number events of one gateway process, fanned out to its subscribers."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._subscribers: set[_Subscriber] = set()
        self._feed: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[NumberChange]]:
        """Events from now on (those that commit after this returns), until the block ends."""
        subscriber = _Subscriber()
        self._subscribers.add(subscriber)
        if self._feed is None or self._feed.done():  # started with the first subscriber, then kept
            self._ready.clear()
            self._feed = asyncio.create_task(self._run_feed())
        try:
            await asyncio.wait_for(self._ready.wait(), timeout=self.database.pool_timeout)
            yield self._receive(subscriber)
        finally:
            self._subscribers.discard(subscriber)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def aclose(self) -> None:
        if self._feed is not None:
            self._feed.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._feed

    async def _receive(self, subscriber: _Subscriber) -> AsyncIterator[NumberChange]:
        while True:
            item = await subscriber.queue.get()
            if isinstance(item, Exception):
                raise item
            yield item

    def _deliver(self, changes: list[NumberChange]) -> None:
        for subscriber in list(self._subscribers):
            for change in changes:
                subscriber.offer(change)

    async def _run_feed(self) -> None:
        try:
            if self.database.engine.dialect.name == "postgresql":
                await self._listen()
            else:
                await self._poll()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database went away: say so to everyone listening
            log.exception("the number event feed stopped")
            for subscriber in list(self._subscribers):
                subscriber.offer(FeedLost(f"the event feed was interrupted ({type(error).__name__})"))

    async def _poll(self) -> None:
        async with self.database.session() as session:
            last = (await session.exec(select(func.max(NumberEvent.id)))).one() or 0
        self._ready.set()
        while True:
            await asyncio.sleep(POLL_INTERVAL)
            changes = await self._load(col(NumberEvent.id) > last)
            if changes:
                last = changes[-1].id
                self._deliver(changes)

    async def _listen(self) -> None:
        async for tx in notifications(self.database, CHANNEL, self._ready):
            self._deliver(await self._load(col(NumberEvent.tx) == int(tx)))

    async def _load(self, condition: Any) -> list[NumberChange]:
        async with self.database.session() as session:
            rows = (await session.exec(
                select(NumberEvent, Account.path)
                .join(Account, col(Account.sid) == col(NumberEvent.previous_account_sid), isouter=True)
                .where(condition).order_by(col(NumberEvent.id)).limit(10_000)
            )).all()
        return [_change(event, previous_path) for event, previous_path in rows]


def _change(event: NumberEvent, previous_path: str | None) -> NumberChange:
    assert event.id is not None
    return NumberChange(
        id=event.id, type=NumberEventType(event.type), occurred_at=event.occurred_at,
        account_sid=event.account_sid, account_path=event.account_path,
        previous_account_sid=event.previous_account_sid, previous_account_path=previous_path,
        number=number_from_snapshot(event.number),
    )


def number_from_snapshot(snapshot: str) -> IncomingPhoneNumber:
    """The row a trigger wrote as JSON (PostgreSQL's row_to_json, SQLite's json_object)."""
    values = orjson.loads(snapshot)
    for column in sa_inspect(IncomingPhoneNumber).columns:
        value = values.get(column.name)
        if value is None:
            continue
        if isinstance(column.type, DateTime) and isinstance(value, str):
            values[column.name] = datetime.fromisoformat(value)
        elif isinstance(column.type, Boolean):
            values[column.name] = bool(value)
    return IncomingPhoneNumber(**values)


async def prune_events(database: Database) -> None:
    """Forget events no subscriber can still be waiting for."""
    async with database.session() as session:
        await session.exec(delete(NumberEvent).where(col(NumberEvent.occurred_at) < utcnow() - RETENTION))
        await session.commit()
