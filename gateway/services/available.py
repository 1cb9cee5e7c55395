"""Searching the carrier's inventory before a purchase (AvailablePhoneNumbers).

A filter the carrier cannot apply is applied here to what it returned; one that
cannot be applied at all (distance searches) is refused. None is silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gateway.domain.errors import InvalidAreaCode, InvalidParameter
from gateway.domain.numbers import NumberType
from gateway.providers.base import AvailableNumber, Provider, SearchFilters, satisfies
from gateway.services.access import require_account
from gateway.services.carrier import ask
from gateway.storage.database import Sessions
from gateway.storage.tables import Account

MAX_RESULTS = 100
DEFAULT_RESULTS = 50
#: ITU E.161 keypad letters
_KEYPAD = {letter: str(digit) for digit, letters in
           ((2, "ABC"), (3, "DEF"), (4, "GHI"), (5, "JKL"), (6, "MNO"), (7, "PQRS"), (8, "TUV"), (9, "WXYZ"))
           for letter in letters}
_UNSUPPORTED = ("near_number", "near_lat_long", "distance")


@dataclass(frozen=True)
class AvailableSearch(SearchFilters):
    """What a client may ask: the carrier filters, plus distance searches (refused)."""

    near_number: str | None = None
    near_lat_long: str | None = None
    distance: str | None = None
    limit: int = DEFAULT_RESULTS


def keypad_digits(contains: str, *, field: str = "contains") -> str:
    """`Contains` as digits and `*`: letters map to the phone keypad (E.161)."""
    pattern = "".join(_KEYPAD.get(ch.upper(), ch) for ch in contains.strip())
    if not pattern or len(pattern) > 16 or any(ch not in "0123456789*" for ch in pattern):
        raise InvalidParameter(
            f"{{field}} {contains[:40]!r} must be up to 16 digits, letters or '*'", field=field
        )
    return pattern


async def search_available_numbers(
    *,
    db: Sessions,
    provider: Provider,
    caller: Account,
    account_sid: str,
    country: str,
    number_type: NumberType,
    search: AvailableSearch,
) -> list[AvailableNumber]:
    async with db.session() as session:
        await require_account(session=session, caller=caller, account_sid=account_sid)
    code = country.strip().upper()
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise InvalidParameter(f"{{field}} {country[:10]!r} must be an ISO 3166 two-letter code", field="iso_country")
    for name in _UNSUPPORTED:
        if getattr(search, name):
            raise InvalidParameter(
                "{field} is not supported: the carriers give no coordinates to search by distance", field=name
            )
    if not 1 <= search.limit <= MAX_RESULTS:
        raise InvalidParameter(f"{{field}} {search.limit} must be between 1 and {MAX_RESULTS}", field="range_size")
    if search.offset < 0:
        raise InvalidParameter(f"{{field}} {search.offset} must be 0 or more", field="range_index")
    area_code = search.area_code.strip() if search.area_code else None
    if area_code is not None and (len(area_code) != 3 or not (area_code.isascii() and area_code.isdigit())):
        raise InvalidAreaCode(f"{{field}} {area_code!r} must be three digits", field="area_code")
    contains = keypad_digits(search.contains) if search.contains else None

    carrier_filters = replace(
        search, area_code=area_code, contains=contains, limit=search.offset + search.limit, offset=0
    )
    found = await ask(provider, provider.search(code, number_type, carrier_filters), what="the search")
    # Carriers apply what they can; every filter is applied again here, so one a
    # carrier ignored still holds.
    matching = [n for n in found if satisfies(n, carrier_filters)]
    if area_code:
        matching = [n for n in matching if n.phone_number.startswith(f"+1{area_code}")]
    return matching[search.offset: search.offset + search.limit]


async def available_countries(*, db: Sessions, provider: Provider, caller: Account, account_sid: str) -> list[str]:
    async with db.session() as session:
        await require_account(session=session, caller=caller, account_sid=account_sid)
    return sorted(await ask(provider, provider.countries(), what="the country list"))

