"""What the service layer relies on from every carrier (gateway.providers.base.Provider),
one suite run against the sandbox, the fake VoIP Innovations and the fake Vonage (real
HTTP servers on 127.0.0.1 speaking each carrier's protocol).

Each carrier's own wire details (request shapes, retries, refusal codes) are in its
test_provider_<name>.py; here only the promises the services build on: a search answers
E.164 numbers that meet its filters; a number found can be bought once; what is bought
is owned until it is cancelled; a refusal is NumberUnavailableError and an unreachable
carrier ProviderUnavailableError, saying whether the request may have been acted on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import phonenumbers
import pytest

from gateway.domain.numbers import NumberType
from gateway.providers.base import (
    NumberUnavailableError,
    Provider,
    ProviderUnavailableError,
    SearchFilters,
    matches_pattern,
)
from gateway.providers.http import HttpOptions
from gateway.providers.sandbox import MemoryLedger, SandboxProvider
from gateway.providers.voipinnovations import VoipInnovationsProvider
from gateway.providers.vonage import VonageProvider
from tests.fakes import closed_port_url
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.fakes.vonage import FakeVonage

OPTIONS = HttpOptions(
    connect_timeout=0.5, read_timeout=0.4, write_timeout=0.5, pool_timeout=0.5, retries=1, backoff=0.01
)
LOCAL = NumberType.LOCAL
#: each fake carrier sells these (sandbox: any valid number in the area code)
AREA_CODE = "415"
SEEDED = ("4155550100", "4155550101", "4155550142", "4155550188")
#: a number of the area code no carrier here sells: unknown to the fakes, reserved for fiction
NOT_SOLD = "+14155550199"
SANDBOX_NOT_SOLD = "+15005550000"  # the sandbox sells any valid number, but not this magic one


@dataclass
class Carrier:
    provider: Provider
    #: a provider for the same carrier whose every call finds nothing listening
    unreachable: Provider | None
    #: a number of AREA_CODE this carrier will not sell
    not_sold: str


@pytest.fixture(scope="module")
def vi_server() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations(hang_seconds=1.0) as carrier:
        yield carrier


@pytest.fixture(scope="module")
def vonage_server() -> Iterator[FakeVonage]:
    with FakeVonage(hang_seconds=1.0) as carrier:
        yield carrier


@pytest.fixture(params=["sandbox", "voipinnovations", "vonage"])
async def carrier(request: pytest.FixtureRequest) -> AsyncIterator[Carrier]:
    if request.param == "sandbox":
        built = Carrier(SandboxProvider(MemoryLedger()), None, SANDBOX_NOT_SOLD)
    elif request.param == "voipinnovations":
        vi: FakeVoipInnovations = request.getfixturevalue("vi_server")
        vi.reset()
        vi.seed(*SEEDED, rate_center="SAN FRANCISCO")
        credentials = {"login": vi.login, "password": vi.password, "endpoint_group": vi.endpoint_group}
        built = Carrier(
            VoipInnovationsProvider(vi.url, **credentials, options=OPTIONS),
            VoipInnovationsProvider(closed_port_url("/api2.pl"), **credentials, options=OPTIONS),
            NOT_SOLD,
        )
    else:
        vonage: FakeVonage = request.getfixturevalue("vonage_server")
        vonage.reset()
        vonage.seed(*(f"1{n}" for n in SEEDED), features=("VOICE", "SMS"))
        keys = {"api_key": vonage.api_key, "api_secret": vonage.api_secret}
        built = Carrier(
            VonageProvider(**keys, url=vonage.base_url, options=OPTIONS),
            VonageProvider(**keys, url=closed_port_url(""), options=OPTIONS),
            NOT_SOLD,
        )
    yield built
    for provider in (built.provider, built.unreachable):
        if provider is not None:
            await provider.aclose()


async def test_it_names_itself_and_bounds_its_calls(carrier: Carrier) -> None:
    assert carrier.provider.name in ("sandbox", "voipinnovations", "vonage")
    assert 0 < carrier.provider.call_timeout <= 60
    countries = await carrier.provider.countries()
    assert "US" in countries and all(len(c) == 2 and c.isupper() for c in countries), countries


async def test_a_search_answers_e164_numbers_that_meet_its_filters(carrier: Carrier) -> None:
    found = await carrier.provider.search("US", LOCAL, SearchFilters(area_code=AREA_CODE, limit=3))
    assert 0 < len(found) <= 3, found
    for number in found:
        parsed = phonenumbers.parse(number.phone_number)
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number.phone_number
        assert number.phone_number.startswith("+1" + AREA_CODE), number
        assert (number.iso_country, number.number_type) == ("US", LOCAL), number
        assert number.friendly_name, number
    assert len({n.phone_number for n in found}) == len(found)  # no number twice

    pattern = "555014*"
    matching = await carrier.provider.search("US", LOCAL, SearchFilters(area_code=AREA_CODE, contains=pattern))
    assert matching and all(matches_pattern(n.phone_number, pattern) for n in matching), matching
    # A filter the carrier cannot meet is an empty answer, never one that ignores it.
    assert await carrier.provider.search("US", LOCAL, SearchFilters(area_code=AREA_CODE, contains="0000000")) == []


async def test_a_number_found_is_bought_once_and_owned_until_cancelled(carrier: Carrier) -> None:
    provider = carrier.provider
    [offered] = await provider.search("US", LOCAL, SearchFilters(area_code=AREA_CODE, limit=1))
    number = offered.phone_number
    assert await provider.owns(number) is False

    purchase = await provider.buy(number, LOCAL, {"voice_url": "https://example.com/voice"})
    assert purchase.phone_number == number
    assert set(purchase.capabilities) <= {"voice", "sms", "mms", "fax"}
    assert await provider.owns(number) is True
    owned = await provider.owned_numbers()
    assert owned is None or number in owned  # None: the carrier cannot list them
    # What is ours is no longer offered, and cannot be bought again.
    offered_now = await provider.search("US", LOCAL, SearchFilters(area_code=AREA_CODE, limit=50))
    assert number not in {n.phone_number for n in offered_now}
    with pytest.raises(NumberUnavailableError):
        await provider.buy(number, LOCAL, {})
    await provider.update(number, {"voice_url": "https://example.com/other", "sms_url": "https://example.com/sms"})

    await provider.cancel(number)
    assert await provider.owns(number) is False
    owned = await provider.owned_numbers()
    assert owned is None or number not in owned
    # Cancelled again (a retry after a lost answer): refused as not ours, or a no-op;
    # either way the service drops the number, and the carrier does not bill it.
    try:
        await provider.cancel(number)
    except NumberUnavailableError:
        pass
    assert await provider.owns(number) is False


async def test_a_number_the_carrier_does_not_sell_is_refused(carrier: Carrier) -> None:
    with pytest.raises(NumberUnavailableError):
        await carrier.provider.buy(carrier.not_sold, LOCAL, {})
    assert await carrier.provider.owns(carrier.not_sold) is False


async def test_an_unreachable_carrier_says_nothing_was_done(carrier: Carrier) -> None:
    if carrier.unreachable is None:  # the sandbox has no network: its magic number plays the part
        with pytest.raises(ProviderUnavailableError) as failure:
            await carrier.provider.buy("+15005550001", LOCAL, {})
        assert failure.value.outcome_unknown is False
        return
    unreachable = carrier.unreachable
    for call in (
        unreachable.search("US", LOCAL, SearchFilters(area_code=AREA_CODE)),
        unreachable.buy("+1" + SEEDED[0], LOCAL, {}),
        unreachable.cancel("+1" + SEEDED[0]),
        unreachable.owns("+1" + SEEDED[0]),
    ):
        with pytest.raises(ProviderUnavailableError) as failure:
            await call
        # Nothing listened, so nothing was acted on: the service may say so at once.
        assert failure.value.outcome_unknown is False, failure.value
