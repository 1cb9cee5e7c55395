"""The carrier, counted and timed: every call by outcome (ok, refused, unknown,
unreachable, error) in `gateway_carrier_calls_total` and its latency."""

from __future__ import annotations

import time
from typing import Awaitable, Mapping, TypeVar

from gateway.domain.numbers import NumberType
from gateway.observability.metrics import CARRIER_CALLS, CARRIER_LATENCY
from gateway.providers.base import (
    AvailableNumber,
    NumberUnavailableError,
    Provider,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
)

T = TypeVar("T")


class InstrumentedProvider:
    """A Provider that is another one, measured."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.name = provider.name
        self.call_timeout = provider.call_timeout

    async def search(self, country: str, number_type: NumberType, filters: SearchFilters) -> list[AvailableNumber]:
        return await self._measured("search", self.provider.search(country, number_type, filters))

    async def buy(self, phone_number: str, number_type: NumberType, routes: Mapping[str, object]) -> Purchase:
        return await self._measured("buy", self.provider.buy(phone_number, number_type, routes))

    async def update(self, phone_number: str, routes: Mapping[str, object]) -> None:
        await self._measured("update", self.provider.update(phone_number, routes))

    async def cancel(self, phone_number: str) -> None:
        await self._measured("cancel", self.provider.cancel(phone_number))

    async def countries(self) -> list[str]:
        return await self._measured("countries", self.provider.countries())

    async def owns(self, phone_number: str) -> bool | None:
        return await self._measured("owns", self.provider.owns(phone_number))

    async def owned_numbers(self) -> list[str] | None:
        return await self._measured("owned_numbers", self.provider.owned_numbers())

    async def aclose(self) -> None:
        await self.provider.aclose()

    async def _measured(self, call: str, work: Awaitable[T]) -> T:
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await work
        except NumberUnavailableError:
            outcome = "refused"
            raise
        except ProviderUnavailableError as failure:
            outcome = "unknown" if failure.outcome_unknown else "unreachable"
            raise
        except BaseException:
            outcome = "error"
            raise
        finally:
            CARRIER_CALLS.labels(self.name, call, outcome).inc()
            CARRIER_LATENCY.labels(self.name, call).observe(time.perf_counter() - started)
