"""Checking presented secrets against their stored hashes (`storage.secret_hashes`).

Slow checks run in a worker thread, at most `SLOW_CHECKS_AT_ONCE` at a time (a bound on
CPU and memory); a request that cannot start one within `SLOW_CHECK_WAIT` seconds is
answered 503. A successful check is remembered, so the next requests with the same
credential cost one fast hash.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections import OrderedDict

from gateway.domain.errors import ServiceUnavailable
from gateway.storage.secret_hashes import is_slow, matches

SLOW_CHECKS_AT_ONCE = max(1, (os.cpu_count() or 1))
SLOW_CHECK_WAIT = 5.0


class VerifiedSecrets:
    """Recent successful checks, so the hot path skips the slow hash.

    An entry is keyed by a fast hash of (stored hash, presented secret): it says only
    "this secret matches this stored hash". Every request still reads the account (or
    key) row, so a rotated token (a new stored hash), a revoked key (no row) or a changed
    status is seen at once, on every instance, with nothing to broadcast. Entries live
    `ttl` seconds at most; the oldest go first beyond `size`.
    """

    def __init__(self, *, size: int = 10_000, ttl: float = 300.0) -> None:
        self._entries: OrderedDict[bytes, float] = OrderedDict()
        self._size, self._ttl = size, ttl
        self._slow_checks = asyncio.Semaphore(SLOW_CHECKS_AT_ONCE)

    @staticmethod
    def _key(stored: str, secret: str) -> bytes:
        return hashlib.sha256(stored.encode() + b"\0" + secret.encode()).digest()

    def remembered(self, stored: str, candidates: tuple[str, ...]) -> bool:
        """Whether a candidate was verified against `stored` lately (one fast hash each)."""
        now = time.monotonic()
        for candidate in candidates:
            expires = self._entries.get(self._key(stored, candidate))
            if expires is not None and expires > now:
                return True
        return False

    async def verify(self, stored: str, candidates: tuple[str, ...]) -> bool:
        """Whether any candidate matches `stored`; a slow check runs off the event loop."""
        if not is_slow(stored):
            matched = next((c for c in candidates if matches(stored, c)), None)
        else:
            try:
                await asyncio.wait_for(self._slow_checks.acquire(), SLOW_CHECK_WAIT)
            except TimeoutError:
                raise ServiceUnavailable("too many sign-ins are being checked at once; retry shortly") from None
            try:
                matched = await asyncio.to_thread(_first_match, stored, candidates)
            finally:
                self._slow_checks.release()
        if matched is None:
            return False
        self._remember(self._key(stored, matched), time.monotonic())
        return True

    def _remember(self, key: bytes, now: float) -> None:
        self._entries[key] = now + self._ttl
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)


def _first_match(stored: str, candidates: tuple[str, ...]) -> str | None:
    return next((candidate for candidate in candidates if matches(stored, candidate)), None)
