"""The embedded sandbox carrier: deterministic inventory, no network, state in our database.

Inventory: US and CA local numbers in every valid area code, US toll-free (800, 833,
844, 855, 866, 877, 888), and GB local, mobile and toll-free numbers. Any valid
number of those kinds can be bought once; what was sold is recorded in the
``sandbox_sold_number`` table, so it stays sold across restarts.

Magic numbers, like Twilio's test credentials, let front-ends exercise error paths:

====================  =====================================================
``+15005550000``      purchase fails: number unavailable (400, 21452)
``+15005550001``      purchase fails: carrier unreachable (503, 21453)
``+15005550002``      purchase works; release fails: carrier unreachable
====================  =====================================================

Numbers in the newest area codes (628 local, 833 toll-free) are sold as *beta*.
"""

from __future__ import annotations

from typing import Iterator, Mapping, NamedTuple

import phonenumbers
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from gateway.providers.base import (
    AvailableNumber,
    NumberType,
    NumberUnavailableError,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
    in_place,
    satisfies,
)
from gateway.storage.database import SessionMaker
from gateway.storage.tables import SandboxSoldNumber

MAGIC_UNAVAILABLE = "+15005550000"
MAGIC_UNREACHABLE = "+15005550001"
MAGIC_RELEASE_FAILS = "+15005550002"

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
#: candidates examined per search before giving up (keeps a search bounded)
SCAN_LIMIT = 20_000
_STEP = 7919  # prime, coprime with 10: walks every suffix once, in a scattered order


class SandboxProvider:
    name = "sandbox"

    def __init__(self, sessionmaker: SessionMaker) -> None:
        self._sessionmaker = sessionmaker

    async def countries(self) -> list[str]:
        return sorted({country for country, _ in INVENTORY})

    async def search(
        self, country: str, number_type: NumberType, filters: SearchFilters
    ) -> list[AvailableNumber]:
        country = country.upper()
        if (country, number_type) not in INVENTORY:
            return []
        prefixes, free_digits = INVENTORY[(country, number_type)]
        if filters.area_code:
            prefixes, free_digits = (f"+1{filters.area_code}",), 7
        elif any((filters.in_region, filters.in_postal_code, filters.in_rate_center, filters.in_lata)):
            # Only scan where the place filters can match.
            prefixes = tuple(
                p for p in prefixes
                if p in PLACES
                and in_place(PLACES[p].region, PLACES[p].postal_code, PLACES[p].rate_center, PLACES[p].lata, filters)
            )
        wanted = filters.offset + filters.limit
        found: list[AvailableNumber] = []
        batch: list[AvailableNumber] = []
        for candidate in _candidates(prefixes, free_digits):
            parsed = phonenumbers.parse(candidate)
            if phonenumbers.region_code_for_number(parsed) != country:
                continue
            if not phonenumbers.is_valid_number(parsed) or candidate in _MAGIC:
                continue
            available = _available(candidate, parsed, country, number_type)
            if not satisfies(available, filters):
                continue
            batch.append(available)
            if len(batch) >= 50:
                found += await self._unsold(batch)
                batch = []
                if len(found) >= wanted:
                    break
        found += await self._unsold(batch)
        return found[filters.offset : wanted]

    async def buy(
        self, phone_number: str, number_type: NumberType, routes: Mapping[str, object]
    ) -> Purchase:
        if phone_number == MAGIC_UNAVAILABLE:
            raise NumberUnavailableError(f"{phone_number} is not available (sandbox magic number)")
        if phone_number == MAGIC_UNREACHABLE:
            raise ProviderUnavailableError("sandbox carrier unreachable (magic number)")
        parsed = phonenumbers.parse(phone_number)
        country = phonenumbers.region_code_for_number(parsed)
        if not any(c == country for c, _ in INVENTORY):
            raise NumberUnavailableError(f"the sandbox carrier has no numbers in {country}")
        async with self._sessionmaker() as session:
            session.add(SandboxSoldNumber(phone_number=phone_number))
            try:
                await session.commit()
            except IntegrityError:
                raise NumberUnavailableError(f"{phone_number} is already sold") from None
        capabilities = CAPABILITIES[number_type]
        return Purchase(phone_number, beta=_is_beta(phone_number), capabilities=capabilities)

    async def update(self, phone_number: str, routes: Mapping[str, object]) -> None:
        return None

    async def cancel(self, phone_number: str) -> None:
        if phone_number == MAGIC_RELEASE_FAILS:
            raise ProviderUnavailableError("sandbox carrier unreachable (magic number)")
        async with self._sessionmaker() as session:
            # Cancelling what is not sold is a no-op, so a retried cancel succeeds.
            await session.exec(
                delete(SandboxSoldNumber).where(col(SandboxSoldNumber.phone_number) == phone_number)
            )
            await session.commit()

    async def aclose(self) -> None:
        return None

    async def owns(self, phone_number: str) -> bool | None:
        async with self._sessionmaker() as session:
            return await session.get(SandboxSoldNumber, phone_number) is not None

    async def owned_numbers(self) -> list[str] | None:
        async with self._sessionmaker() as session:
            return list(
                await session.exec(
                    select(SandboxSoldNumber.phone_number).order_by(SandboxSoldNumber.phone_number)
                )
            )

    async def _unsold(self, numbers: list[AvailableNumber]) -> list[AvailableNumber]:
        if not numbers:
            return []
        async with self._sessionmaker() as session:
            wanted = [n.phone_number for n in numbers]
            sold = set(
                await session.exec(
                    select(SandboxSoldNumber.phone_number).where(col(SandboxSoldNumber.phone_number).in_(wanted))
                )
            )
        return [n for n in numbers if n.phone_number not in sold]


_MAGIC = frozenset({MAGIC_UNAVAILABLE, MAGIC_UNREACHABLE, MAGIC_RELEASE_FAILS})


def _candidates(prefixes: tuple[str, ...], free_digits: int) -> Iterator[str]:
    space = 10**free_digits
    for k in range(min(SCAN_LIMIT, space)):
        for prefix in prefixes:
            yield prefix + str((k * _STEP + 1234) % space).zfill(free_digits)


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
