"""The provider protocol: what the gateway needs from a DID carrier.

Providers raise only the errors below; the service layer turns them into the
gateway's own. They never touch the gateway's tables (the sandbox keeps a ledger of
its own) and never see HTTP requests from clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol

from gateway.domain.numbers import NumberType


@dataclass(frozen=True)
class SearchFilters:
    area_code: str | None = None
    #: digits, `*` for any one digit (letters already mapped to digits)
    contains: str | None = None
    in_region: str | None = None
    in_postal_code: str | None = None
    in_rate_center: str | None = None
    in_lata: str | None = None
    sms_enabled: bool | None = None
    mms_enabled: bool | None = None
    voice_enabled: bool | None = None
    fax_enabled: bool | None = None
    ussd_enabled: bool | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class AvailableNumber:
    phone_number: str
    friendly_name: str
    iso_country: str
    number_type: NumberType
    region: str | None = None
    postal_code: str | None = None
    rate_center: str | None = None
    lata: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    voice_capable: bool = True
    sms_capable: bool = False
    mms_capable: bool = False
    fax_capable: bool = False
    ussd_capable: bool = False
    cost: str | None = None


@dataclass(frozen=True)
class Purchase:
    """What the carrier says about a number it just sold us."""

    phone_number: str
    beta: bool = False
    capabilities: Mapping[str, bool] = field(default_factory=dict)


def matches_pattern(phone_number: str, pattern: str) -> bool:
    """Whether the number's digits contain `pattern` (digits, `*` for any one digit)."""
    digits = phone_number.lstrip("+")
    return any(
        all(p in ("*", d) for p, d in zip(pattern, digits[i : i + len(pattern)], strict=True))
        for i in range(len(digits) - len(pattern) + 1)
    )


def in_place(
    region: str | None, postal_code: str | None, rate_center: str | None, lata: str | None, filters: SearchFilters
) -> bool:
    """Whether a place matches the search's place filters (case-insensitive; unknown never matches)."""
    places = (
        (region, filters.in_region),
        (postal_code, filters.in_postal_code),
        (rate_center, filters.in_rate_center),
        (lata, filters.in_lata),
    )
    return not any(wanted and (value or "").casefold() != wanted.strip().casefold() for value, wanted in places)


def satisfies(number: AvailableNumber, filters: SearchFilters) -> bool:
    """Every search filter, applied to a number a carrier returned.

    A number whose carrier says nothing about a filtered field (no region, no postal
    code) does not match: a filter is never silently ignored.
    """
    if filters.contains and not matches_pattern(number.phone_number, filters.contains):
        return False
    if not in_place(number.region, number.postal_code, number.rate_center, number.lata, filters):
        return False
    capabilities = {
        "voice": filters.voice_enabled,
        "sms": filters.sms_enabled,
        "mms": filters.mms_enabled,
        "fax": filters.fax_enabled,
        "ussd": filters.ussd_enabled,
    }
    return all(want is None or getattr(number, f"{kind}_capable") == want for kind, want in capabilities.items())


class ProviderError(Exception):
    pass


class NumberUnavailableError(ProviderError):
    """The carrier refuses: the number is taken, unknown, or none matches."""


class ProviderUnavailableError(ProviderError):
    """The carrier could not be reached or did not answer in time.

    `outcome_unknown` is true when the request may have been acted on (sent, then
    timed out); false when it certainly was not (connection refused).
    """

    def __init__(self, message: str, *, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.outcome_unknown = outcome_unknown


class Provider(Protocol):
    name: str
    #: seconds a call may take at most, retries included (owned_numbers aside, which walks
    #: the whole account); the service layer holds every call to it, and a purchase or
    #: release whose call ran out may still be acted on by the carrier
    call_timeout: float

    async def search(
        self, country: str, number_type: NumberType, filters: SearchFilters
    ) -> list[AvailableNumber]: ...

    async def buy(
        self, phone_number: str, number_type: NumberType, routes: Mapping[str, object]
    ) -> Purchase: ...

    async def update(self, phone_number: str, routes: Mapping[str, object]) -> None: ...

    async def cancel(self, phone_number: str) -> None: ...

    async def countries(self) -> list[str]: ...

    async def owns(self, phone_number: str) -> bool | None:
        """Whether the carrier says the number is ours: None if its answer does not say.

        Raises ProviderUnavailableError when the carrier cannot be asked. The
        reconciler settles pending purchases and releases with it.
        """
        ...

    async def owned_numbers(self) -> list[str] | None:
        """Every number the carrier says is ours (E.164), or None if it cannot list them."""
        ...

    async def aclose(self) -> None: ...
