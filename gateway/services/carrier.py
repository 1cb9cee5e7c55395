"""Calling the carrier from a use case.

Every call goes through `bounded`: it refuses to run while the task holds a database
session (a connection must never wait on a carrier), and it holds the call to the
provider's `call_timeout`, so a carrier that never answers costs a bounded wait. A
state-changing call (buy, cancel) that ran out may still be acted on: its failure says
`outcome_unknown`, and the purchase or release leaves its row for the reconciler.
`ask` is `bounded` for calls whose failures simply become the gateway's errors.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

from gateway.domain.errors import NumberUnavailable, ProviderUnavailable
from gateway.providers.base import NumberUnavailableError, Provider, ProviderUnavailableError
from gateway.storage.database import holds_session

T = TypeVar("T")


async def bounded(
    provider: Provider, call: Awaitable[T], *, what: str, changes_state: bool = False, timeout: float | None = None,
) -> T:
    if holds_session():
        close = getattr(call, "close", None)
        if close is not None:
            close()  # the coroutine never runs: no "never awaited" warning
        raise RuntimeError(f"the carrier was called ({what}) while a database session was held")
    limit = provider.call_timeout if timeout is None else timeout
    try:
        async with asyncio.timeout(limit):
            return await call
    except TimeoutError:
        raise ProviderUnavailableError(
            f"{provider.name} did not finish {what} within {limit:g} s", outcome_unknown=changes_state
        ) from None


async def ask(provider: Provider, call: Awaitable[T], *, what: str) -> T:
    """`bounded`, with the carrier's refusal and failure as the gateway's errors."""
    try:
        return await bounded(provider, call, what=what)
    except ProviderUnavailableError as failure:
        raise ProviderUnavailable(f"the carrier could not be reached; retry later ({failure})") from None
    except NumberUnavailableError as refused:
        raise NumberUnavailable(str(refused)) from None
