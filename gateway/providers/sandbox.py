"""The embedded sandbox carrier: deterministic inventory, no network.

Inventory: US and CA local numbers in every valid area code, US toll-free (800, 833,
844, 855, 866, 877, 888), and GB local, mobile and toll-free numbers. Any number of
those kinds that `phonenumbers` considers valid can be bought once. What was sold is
kept by a `SalesLedger` the gateway hands over at assembly (its database, so sales
survive restarts; `MemoryLedger` otherwise): the sandbox itself knows nothing of storage.

Magic numbers, like Twilio's test credentials, let front-ends exercise error paths:

====================  =====================================================
``+15005550000``      purchase fails: number unavailable (400, 21452)
``+15005550001``      purchase fails: carrier unreachable (503, 21453)
``+15005550002``      purchase works; release fails: carrier unreachable
====================  =====================================================

Numbers in the newest area codes (628 local, 833 toll-free) are sold as *beta*.

Searches are bounded by design: candidates are *built* to contain the `Contains`
pattern (each placement of the pattern in a prefix's free digits is a template whose
other digits come from a counter) rather than drawn at random and filtered, at most
`MAX_EXAMINED` of them per search, and the CPU work runs in a worker thread so the
event loop keeps serving while a search runs.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Iterable, Iterator, Mapping, NamedTuple, Protocol, Sequence

import phonenumbers

from gateway.domain.numbers import NumberType
from gateway.providers.base import (
    AvailableNumber,
    NumberUnavailableError,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
    in_place,
    satisfies,
)

MAGIC_UNAVAILABLE = "+15005550000"
MAGIC_UNREACHABLE = "+15005550001"
MAGIC_RELEASE_FAILS = "+15005550002"
_MAGIC = frozenset({MAGIC_UNAVAILABLE, MAGIC_UNREACHABLE, MAGIC_RELEASE_FAILS})

BETA_AREA_CODES = frozenset({"628", "833"})
TOLL_FREE_AREA_CODES = ("800", "833", "844", "855", "866", "877", "888")

#: (country, type) -> (prefixes searched when no area code is given, free digits after them)
INVENTORY: dict[tuple[str, NumberType], tuple[tuple[str, ...], int]] = {
    ("US", NumberType.LOCAL): (("+1510", "+1415", "+1628", "+1212", "+1617", "+1202"), 7),
    ("US", NumberType.MOBILE): (("+1510", "+1415", "+1212"), 7),
    ("US", NumberType.TOLL_FREE): (tuple(f"+1{c}" for c in TOLL_FREE_AREA_CODES), 7),
    ("CA", NumberType.LOCAL): (("+1416", "+1604", "+1514"), 7),
    ("CA", NumberType.MOBILE): (("+1416", "+1604"), 7),
    ("GB", NumberType.LOCAL): (("+44207946",), 4),
    ("GB", NumberType.MOBILE): (("+447400",), 6),
    ("GB", NumberType.TOLL_FREE): (("+44800",), 7),
}
CAPABILITIES = {
    NumberType.LOCAL: {"voice": True, "sms": True, "mms": True, "fax": True},
    NumberType.MOBILE: {"voice": True, "sms": True, "mms": True, "fax": False},
    NumberType.TOLL_FREE: {"voice": True, "sms": True, "mms": False, "fax": True},
}


class Place(NamedTuple):
    region: str
    rate_center: str
    lata: str | None
    postal_code: str
    latitude: float
    longitude: float


#: where the sandbox's numbers are, by prefix
PLACES: dict[str, Place] = {
    "+1510": Place("CA", "OAKLAND", "722", "94612", 37.80, -122.27),
    "+1415": Place("CA", "SAN FRANCISCO", "722", "94103", 37.77, -122.41),
    "+1628": Place("CA", "SAN FRANCISCO", "722", "94103", 37.77, -122.41),
    "+1212": Place("NY", "NEW YORK CITY", "132", "10001", 40.75, -73.99),
    "+1617": Place("MA", "BOSTON", "128", "02108", 42.36, -71.06),
    "+1202": Place("DC", "WASHINGTON", "236", "20001", 38.90, -77.03),
    "+1416": Place("ON", "TORONTO", None, "M5H", 43.65, -79.38),
    "+1604": Place("BC", "VANCOUVER", None, "V6B", 49.28, -123.12),
    "+1514": Place("QC", "MONTREAL", None, "H2Y", 45.50, -73.57),
    "+44207946": Place("London", "LONDON", None, "WC2N", 51.51, -0.13),
}
#: candidate numbers examined per search at most, whatever it asks (a bound on CPU)
MAX_EXAMINED = 4000
#: valid candidates produced per step in the worker thread, at most, before the ledger is asked
_BATCH = 100
_STEP = 7919  # prime, coprime with 10: walks every suffix once, in a scattered order


class SalesLedger(Protocol):
    """Where the sandbox remembers what it sold."""

    async def record_sale(self, phone_number: str) -> bool:
        """Record a sale; False if the number was already sold."""
        ...

    async def cancel_sale(self, phone_number: str) -> None: ...

    async def sold_among(self, phone_numbers: Sequence[str]) -> set[str]: ...

    async def sold(self) -> list[str]: ...

    async def sold_count(self, prefix: str) -> int:
        """How many numbers starting with `prefix` are sold."""
        ...


class MemoryLedger:
    """A ledger in process memory: for a sandbox whose sales need not survive a restart."""

    def __init__(self) -> None:
        self._sold: set[str] = set()

    async def record_sale(self, phone_number: str) -> bool:
        if phone_number in self._sold:
            return False
        self._sold.add(phone_number)
        return True

    async def cancel_sale(self, phone_number: str) -> None:
        self._sold.discard(phone_number)

    async def sold_among(self, phone_numbers: Sequence[str]) -> set[str]:
        return self._sold.intersection(phone_numbers)

    async def sold(self) -> list[str]:
        return sorted(self._sold)

    async def sold_count(self, prefix: str) -> int:
        return sum(1 for number in self._sold if number.startswith(prefix))


class SandboxProvider:
    name = "sandbox"
    #: no network: a call never takes long, and nothing it does can happen later
    call_timeout = 5.0

    def __init__(self, ledger: SalesLedger | None = None) -> None:
        self._ledger = ledger if ledger is not None else MemoryLedger()

    async def countries(self) -> list[str]:
        return sorted({country for country, _ in INVENTORY})

    async def search(
        self, country: str, number_type: NumberType, filters: SearchFilters
    ) -> list[AvailableNumber]:
        wanted = filters.offset + filters.limit
        country = country.upper()
        prefixes, free_digits = _searched(country, number_type, filters)
        skip = 0
        if prefixes and not filters.contains:
            # Searches walk each prefix in one order and what they offer gets bought first:
            # begin past as many numbers as are sold there, so an area code that sold
            # thousands still answers within the bound on candidates examined.
            skip = sum([await self._ledger.sold_count(prefix) for prefix in prefixes]) // len(prefixes)
        matching = _matching(country, number_type, prefixes, free_digits, filters, skip)
        found: list[AvailableNumber] = []
        while len(found) < wanted:
            # A few more than still wanted: some may turn out sold.
            size = min(_BATCH, wanted - len(found) + 8)
            batch = await asyncio.to_thread(_take, matching, size)
            if not batch:
                break
            sold = await self._ledger.sold_among([n.phone_number for n in batch])
            found += [n for n in batch if n.phone_number not in sold]
        return found[filters.offset : wanted]

    async def buy(
        self, phone_number: str, number_type: NumberType, routes: Mapping[str, object]
    ) -> Purchase:
        if phone_number == MAGIC_UNAVAILABLE:
            raise NumberUnavailableError(f"{phone_number} is not available (sandbox magic number)")
        if phone_number == MAGIC_UNREACHABLE:
            raise ProviderUnavailableError("sandbox carrier unreachable (magic number)")
        parsed = phonenumbers.parse(phone_number)
        if not phonenumbers.is_valid_number(parsed):
            raise NumberUnavailableError(f"the sandbox carrier does not sell {phone_number}: it is not an assigned number")
        country = phonenumbers.region_code_for_number(parsed)
        if not any(c == country for c, _ in INVENTORY):
            raise NumberUnavailableError(f"the sandbox carrier has no numbers in {country}")
        if not await self._ledger.record_sale(phone_number):
            raise NumberUnavailableError(f"{phone_number} is already sold")
        return Purchase(phone_number, beta=_is_beta(phone_number), capabilities=CAPABILITIES[number_type])

    async def update(self, phone_number: str, routes: Mapping[str, object]) -> None:
        return None

    async def cancel(self, phone_number: str) -> None:
        if phone_number == MAGIC_RELEASE_FAILS:
            raise ProviderUnavailableError("sandbox carrier unreachable (magic number)")
        # Cancelling what is not sold is a no-op, so a retried cancel succeeds.
        await self._ledger.cancel_sale(phone_number)

    async def owns(self, phone_number: str) -> bool | None:
        return bool(await self._ledger.sold_among([phone_number]))

    async def owned_numbers(self) -> list[str] | None:
        return await self._ledger.sold()

    async def aclose(self) -> None:
        return None


def _take(numbers: Iterator[AvailableNumber], count: int) -> list[AvailableNumber]:
    return list(itertools.islice(numbers, count))


def _searched(
    country: str, number_type: NumberType, filters: SearchFilters
) -> tuple[tuple[str, ...], int]:
    """The prefixes a search walks, and the free digits after each."""
    if (country, number_type) not in INVENTORY:
        return (), 0
    prefixes, free_digits = INVENTORY[(country, number_type)]
    if filters.area_code:
        return (f"+1{filters.area_code}",), 7
    if any((filters.in_region, filters.in_postal_code, filters.in_rate_center, filters.in_lata)):
        prefixes = tuple(  # only where the place filters can match
            p for p in prefixes
            if p in PLACES
            and in_place(PLACES[p].region, PLACES[p].postal_code, PLACES[p].rate_center, PLACES[p].lata, filters)
        )
    return prefixes, free_digits


def _matching(
    country: str, number_type: NumberType, prefixes: Sequence[str], free_digits: int, filters: SearchFilters,
    skip: int,
) -> Iterator[AvailableNumber]:
    """Valid, non-magic numbers of the inventory meeting every filter (CPU only, no I/O)."""
    for candidate in itertools.islice(containing(prefixes, free_digits, filters.contains, skip=skip), MAX_EXAMINED):
        if candidate in _MAGIC:
            continue
        parsed = phonenumbers.parse(candidate)
        if phonenumbers.region_code_for_number(parsed) != country or not phonenumbers.is_valid_number(parsed):
            continue
        available = _available(candidate, parsed, country, number_type)
        if satisfies(available, filters):
            yield available


def containing(prefixes: Sequence[str], free_digits: int, pattern: str | None, *, skip: int = 0) -> Iterator[str]:
    """Numbers `prefix` + `free_digits` digits whose digits contain `pattern` (digits, `*`
    any one digit), each once, in a scattered but deterministic order; each prefix's walk
    begins `skip` numbers in."""
    templates = [t for prefix in prefixes for t in _templates(prefix, free_digits, pattern)]
    seen: set[str] = set()
    walks = [_fill(template, skip) for template in templates]
    while walks:
        for walk in list(walks):
            number = next(walk, None)
            if number is None:
                walks.remove(walk)
            elif number not in seen:
                seen.add(number)
                yield number


def _templates(prefix: str, free_digits: int, pattern: str | None) -> Iterable[list[str | None]]:
    """The prefix's digits followed by free slots (None), with `pattern` placed everywhere it fits."""
    fixed = list(prefix.lstrip("+"))
    base: list[str | None] = [*fixed, *([None] * free_digits)]
    if not pattern:
        yield base
        return
    for offset in range(len(base) - len(pattern) + 1):
        template = list(base)
        for position, want in enumerate(pattern, start=offset):
            if want == "*":
                continue
            if template[position] is None:
                template[position] = want
            elif template[position] != want:
                break  # the pattern contradicts the prefix here
        else:
            yield template


def _fill(template: list[str | None], skip: int = 0) -> Iterator[str]:
    slots = [i for i, digit in enumerate(template) if digit is None]
    space = 10 ** len(slots)
    for step in range(space):
        k = (step + skip) % space
        digits = str((k * _STEP + 1234) % space).zfill(len(slots)) if slots else ""
        filled = list(template)
        for slot, digit in zip(slots, digits, strict=True):
            filled[slot] = digit
        yield "+" + "".join(d for d in filled if d is not None)


def _is_beta(phone_number: str) -> bool:
    return phone_number.startswith("+1") and phone_number[2:5] in BETA_AREA_CODES


def _available(
    e164: str, parsed: phonenumbers.PhoneNumber, country: str, number_type: NumberType
) -> AvailableNumber:
    capabilities = CAPABILITIES[number_type]
    place = next((v for prefix, v in PLACES.items() if e164.startswith(prefix)), None)
    region, rate_center, lata, postal_code, latitude, longitude = place or (None,) * 6
    return AvailableNumber(
        phone_number=e164,
        friendly_name=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        iso_country=country,
        number_type=number_type,
        region=region,
        rate_center=rate_center,
        lata=lata,
        postal_code=postal_code,
        latitude=latitude,
        longitude=longitude,
        voice_capable=capabilities["voice"],
        sms_capable=capabilities["sms"],
        mms_capable=capabilities["mms"],
        fax_capable=capabilities["fax"],
    )
