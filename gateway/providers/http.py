"""What the real carriers share: one httpx client each, timeouts, bounded retries, and
the mapping from HTTP failures to `ProviderUnavailableError`.

Whether a failed call may have been acted on (``outcome_unknown``) decides what the
service layer does with a pending purchase or release, so the mapping is strict:

=========================================================  ===========================
failure                                                    ``outcome_unknown``
=========================================================  ===========================
``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``,     False: nothing was sent
``UnsupportedProtocol``, ``ProxyError``
``ReadTimeout``, ``WriteTimeout``, ``ReadError``,          True for calls that change
``WriteError``, ``RemoteProtocolError``, any other         the carrier's state (buy,
transport error; HTTP 5xx; a body we cannot read           cancel); False for queries
HTTP 429 (throttled: the carrier declined to act)          False
=========================================================  ===========================

Only idempotent calls (searches, lookups, listings, route updates) are retried:
``retries`` more attempts after transport errors, 5xx and 429, waiting ``backoff``
seconds and doubling, and none started after ``retry_budget`` seconds. A purchase or release is sent exactly once: if its outcome is
unknown the number stays pending and the reconciler asks the carrier (``owns``).

This module also holds the client-side search filters both carriers need (what their
search APIs cannot filter on is applied here to what they returned: a filter is never
silently ignored).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Iterable

import httpx

from gateway.providers.base import AvailableNumber, ProviderUnavailableError, SearchFilters, satisfies

#: transport errors raised before any byte of the request left this process
NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)


@dataclass(frozen=True)
class HttpOptions:
    """Timeouts (seconds) and the retry budget of one carrier client."""

    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    write_timeout: float = 10.0
    pool_timeout: float = 3.0
    #: further attempts of an idempotent call after a transport error, 5xx or 429
    retries: int = 2
    #: wait before the first retry; doubles for each further one
    backoff: float = 0.2
    #: no retry starts once this many seconds have passed since the first attempt
    #: (with the default timeouts a query gives up after about 20 s, not 30)
    retry_budget: float = 15.0
    max_connections: int = 20

    @classmethod
    def answering_within(cls, seconds: float) -> "HttpOptions":
        """Options for a carrier given `seconds` to answer each request: that read and write
        timeout, connecting within at most 3 s, and no retry started after `seconds`."""
        quick = min(3.0, seconds)
        return cls(connect_timeout=quick, pool_timeout=quick, read_timeout=seconds, write_timeout=seconds,
                   retry_budget=seconds)

    def exchange_seconds(self) -> float:
        """The longest one HTTP exchange can take (connect, send, wait for the answer)."""
        return self.pool_timeout + self.connect_timeout + self.write_timeout + self.read_timeout

    def call_seconds(self, exchanges: int) -> float:
        """The longest a call of `exchanges` sequential exchanges can take, retries included
        (a retry starts only within the budget, and then takes at most one exchange)."""
        return exchanges * (self.retry_budget + self.exchange_seconds())

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.write_timeout,
            pool=self.pool_timeout,
        )


def transport_failure(
    carrier: str, operation: str, error: httpx.HTTPError, *, idempotent: bool
) -> ProviderUnavailableError:
    """Map an httpx error to ProviderUnavailableError; see the module's table."""
    sent = not isinstance(error, NOT_SENT)
    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
        what = "could not be reached"
    elif isinstance(error, httpx.PoolTimeout):
        what = "could not be called (all connections busy)"
    elif isinstance(error, httpx.TimeoutException):
        what = "did not answer in time"
    elif isinstance(error, httpx.RemoteProtocolError):
        what = "dropped the connection"
    else:
        what = "failed"
    detail = f"{type(error).__name__}: {error}" if str(error) and str(error) != type(error).__name__ else type(error).__name__
    return ProviderUnavailableError(
        f"{carrier} {what} during {operation} ({detail})",
        outcome_unknown=sent and not idempotent,
    )


def status_failure(
    carrier: str, operation: str, status: int, *, idempotent: bool
) -> ProviderUnavailableError:
    """An HTTP 5xx (may have acted) or 429 (declined to act) answer."""
    if status == 429:
        return ProviderUnavailableError(
            f"{carrier} throttled {operation} (HTTP 429); retry later", outcome_unknown=False
        )
    return ProviderUnavailableError(
        f"{carrier} failed during {operation} (HTTP {status})", outcome_unknown=not idempotent
    )


def malformed(carrier: str, operation: str, detail: str, *, idempotent: bool) -> ProviderUnavailableError:
    """An answer we cannot read: the carrier may have acted."""
    return ProviderUnavailableError(
        f"{carrier} answered {operation} with a body we cannot read ({detail})",
        outcome_unknown=not idempotent,
    )


class CarrierHttp:
    """One httpx.AsyncClient per provider, with the retry policy above."""

    def __init__(
        self,
        carrier: str,
        options: HttpOptions,
        *,
        base_url: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.carrier = carrier
        self.options = options
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=options.timeout(),
            limits=httpx.Limits(
                max_connections=options.max_connections,
                max_keepalive_connections=options.max_connections,
            ),
            headers={"User-Agent": "numbers-gateway"},
            follow_redirects=False,
            transport=transport,
        )

    async def request(
        self, operation: str, method: str, url: str, *, idempotent: bool, **kwargs: Any
    ) -> httpx.Response:
        """Send once (or up to 1 + retries times if idempotent); 5xx and 429 raise."""
        attempts = 1 + (max(self.options.retries, 0) if idempotent else 0)
        started = time.monotonic()
        for attempt in range(attempts):
            cause: Exception | None = None
            try:
                response = await self.client.request(method, url, **kwargs)
            except httpx.HTTPError as error:
                failure = transport_failure(self.carrier, operation, error, idempotent=idempotent)
                cause = error
            else:
                if response.status_code < 500 and response.status_code != 429:
                    return response
                failure = status_failure(self.carrier, operation, response.status_code, idempotent=idempotent)
            wait = self.options.backoff * 2**attempt
            if attempt + 1 == attempts or time.monotonic() - started + wait > self.options.retry_budget:
                raise failure from cause
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        await self.client.aclose()


# -- client-side search filters -------------------------------------------------------


def page(numbers: Iterable[AvailableNumber], filters: SearchFilters) -> list[AvailableNumber]:
    selected = [n for n in numbers if satisfies(n, filters)]
    return selected[filters.offset : filters.offset + filters.limit]


# -- keep secrets sent in query strings out of httpx's request log ----------------------

_SECRET_PARAMETER = re.compile(r"((?:api_secret|api_key|password)=)[^&\s\"]*", re.IGNORECASE)


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; Vonage's GETs carry api_key/api_secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(
                _SECRET_PARAMETER.sub(r"\1***", str(a)) if isinstance(a, httpx.URL) else a for a in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = _SECRET_PARAMETER.sub(r"\1***", record.msg)
        return True


_httpx_logger = logging.getLogger("httpx")
if not any(isinstance(f, _RedactSecrets) for f in _httpx_logger.filters):
    _httpx_logger.addFilter(_RedactSecrets())
