"""The Vonage provider against a fake Vonage Numbers API on 127.0.0.1, and build_carrier."""

from __future__ import annotations

import logging
from typing import AsyncIterator, Iterator

import pytest

from gateway.assembly import build_carrier
from gateway.domain.numbers import NumberType
from gateway.providers.base import (
    NumberUnavailableError,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
)
from gateway.providers.http import HttpOptions
from gateway.providers.vonage import DEFAULT_URL, VonageProvider
from gateway.settings import Settings, SettingsError
from tests.fakes import closed_port_url
from tests.fakes.vonage import FakeVonage

OPTIONS = HttpOptions(
    connect_timeout=0.5, read_timeout=0.4, write_timeout=0.5, pool_timeout=0.5, retries=2, backoff=0.01
)
LOCAL = NumberType.LOCAL


@pytest.fixture(scope="module")
def server() -> Iterator[FakeVonage]:
    with FakeVonage(hang_seconds=1.5) as carrier:
        yield carrier


@pytest.fixture
def fake(server: FakeVonage) -> FakeVonage:
    server.reset()
    server.seed("14155550100", "14155550101", features=("VOICE", "SMS"))
    server.seed("14155550142", features=("VOICE", "SMS", "MMS"))
    server.seed("14165550100", country="CA")
    server.seed("14155550777", type="mobile-lvn", features=("SMS",))
    server.seed("18005550100", type="landline-toll-free", features=("VOICE",))
    server.seed("442079460100", country="GB")
    return server


def make(fake: FakeVonage, **overrides: str) -> VonageProvider:
    values = {"api_key": fake.api_key, "api_secret": fake.api_secret, "url": fake.base_url, **overrides}
    return VonageProvider(**values, options=OPTIONS)


@pytest.fixture
async def provider(fake: FakeVonage) -> AsyncIterator[VonageProvider]:
    carrier = make(fake)
    yield carrier
    await carrier.aclose()


def numbers(found: list) -> list[str]:
    return [n.phone_number for n in found]


# -- search -------------------------------------------------------------------------------


async def test_search_by_area_code(provider, fake) -> None:
    found = await provider.search("US", LOCAL, SearchFilters(area_code="415"))

    assert numbers(found) == ["+14155550100", "+14155550101", "+14155550142"]
    first = found[0]
    assert (first.friendly_name, first.iso_country, first.number_type, first.cost) == (
        "(415) 555-0100", "US", LOCAL, "0.90"
    )
    assert first.voice_capable and first.sms_capable and not first.mms_capable and not first.fax_capable
    (params,) = fake.params_of("search")
    assert {k: params[k] for k in ("country", "type", "pattern", "search_pattern", "size", "index")} == {
        "country": "US", "type": "landline", "pattern": "1415", "search_pattern": "0", "size": "100", "index": "1"
    }
    assert (params["api_key"], params["api_secret"]) == ("key123", "secret456")


@pytest.mark.parametrize(
    ("country", "number_type", "expected", "sent"),
    [
        ("US", NumberType.MOBILE, ["+14155550777"], "mobile-lvn"),
        ("us", NumberType.TOLL_FREE, ["+18005550100"], "landline-toll-free"),
        ("GB", LOCAL, ["+442079460100"], "landline"),
        ("CA", LOCAL, ["+14165550100"], "landline"),
    ],
)
async def test_search_maps_the_number_type(provider, fake, country, number_type, expected, sent) -> None:
    found = await provider.search(country, number_type, SearchFilters())

    assert numbers(found) == expected
    assert all(n.number_type is number_type for n in found)
    assert fake.params_of("search")[0]["type"] == sent


@pytest.mark.parametrize(
    ("filters", "expected", "features"),
    [
        (SearchFilters(mms_enabled=True), ["+14155550142"], "MMS"),
        (SearchFilters(sms_enabled=True, voice_enabled=True, limit=1), ["+14155550100"], "SMS,VOICE"),
        (SearchFilters(mms_enabled=False), ["+14155550100", "+14155550101"], None),  # applied here
        (SearchFilters(fax_enabled=True), [], None),  # Vonage numbers do no fax
        (SearchFilters(in_region="CA"), [], None),  # Vonage reports no region: matches nothing
    ],
)
async def test_search_capabilities(provider, fake, filters, expected, features) -> None:
    assert numbers(await provider.search("US", LOCAL, filters)) == expected
    assert fake.params_of("search")[0].get("features") == features


async def test_search_contains_with_wildcards(provider, fake) -> None:
    found = await provider.search("US", LOCAL, SearchFilters(contains="5550*4*"))

    assert numbers(found) == ["+14155550142"]
    params = fake.params_of("search")[0]
    assert (params["pattern"], params["search_pattern"]) == ("5550", "1")  # longest digit run, anywhere


async def test_search_pages_through_what_is_filtered_here(provider, fake) -> None:
    fake.reset()
    fake.seed(*(f"1212555{n:04d}" for n in range(250) if n % 10 != 7), features=("VOICE", "SMS", "MMS"))
    fake.seed(*(f"1212555{n:04d}" for n in range(250) if n % 10 == 7), features=("VOICE", "SMS"))

    found = await provider.search("US", LOCAL, SearchFilters(area_code="212", offset=95, limit=10))
    assert numbers(found) == [f"+1212555{n:04d}" for n in range(95, 105)]
    assert [p["index"] for p in fake.params_of("search")] == ["1", "2"]

    # "no MMS" is applied here: 25 of 250 match, so every page is read
    found = await provider.search("US", LOCAL, SearchFilters(area_code="212", mms_enabled=False, offset=20, limit=10))
    assert numbers(found) == [f"+1212555{n:04d}" for n in range(207, 250, 10)]
    assert fake.calls["search"] == 5


async def test_search_with_no_numbers_is_empty(provider, fake) -> None:
    assert await provider.search("US", LOCAL, SearchFilters(area_code="999")) == []


async def test_search_retries(provider, fake) -> None:
    fake.fail("search", "error")
    fake.fail("search", "drop")

    assert len(await provider.search("US", LOCAL, SearchFilters(area_code="415"))) == 3
    assert fake.calls["search"] == 3

    fake.reset()
    fake.fail("search", "error", times=3, status=503)
    with pytest.raises(ProviderUnavailableError, match="HTTP 503") as failure:
        await provider.search("US", LOCAL, SearchFilters())
    assert failure.value.outcome_unknown is False
    assert fake.calls["search"] == 3


async def test_search_throttled_once_then_answered(provider, fake) -> None:
    fake.fail("search", "error", status=429)

    assert len(await provider.search("US", LOCAL, SearchFilters(area_code="415"))) == 3
    assert fake.calls["search"] == 2


async def test_search_malformed_body(provider, fake) -> None:
    fake.fail("search", "malformed")

    with pytest.raises(ProviderUnavailableError, match="cannot read") as failure:
        await provider.search("US", LOCAL, SearchFilters())
    assert failure.value.outcome_unknown is False


# -- buy ----------------------------------------------------------------------------------


async def test_buy(provider, fake) -> None:
    purchase = await provider.buy("+14155550100", LOCAL, {})

    assert purchase == Purchase("+14155550100")
    assert fake.owned == {"14155550100"}
    (params,) = fake.params_of("buy")
    assert (params["country"], params["msisdn"]) == ("US", "14155550100")
    assert await provider.owns("+14155550100") is True


async def test_buy_sends_the_country_of_the_number(provider, fake) -> None:
    await provider.buy("+14165550100", LOCAL, {})
    await provider.buy("+442079460100", LOCAL, {})
    assert [p["country"] for p in fake.params_of("buy")] == ["CA", "GB"]


@pytest.mark.parametrize(
    "setup", [lambda f: f.taken.add("14155550100"), lambda f: f.give_us("14155550100"), lambda f: f.reset()]
)
async def test_buy_of_an_unavailable_number(provider, fake, setup) -> None:
    setup(fake)
    owned = fake.owned

    with pytest.raises(NumberUnavailableError, match="error-code 420 \\(method failed\\)"):
        await provider.buy("+14155550100", LOCAL, {})
    assert fake.owned == owned
    assert fake.calls["buy"] == 1


async def test_refusal_with_http_200(provider, fake) -> None:
    fake.fail("buy", "refuse", status=200, code="420", label="Number not available for purchase")

    with pytest.raises(NumberUnavailableError, match="not available for purchase"):
        await provider.buy("+14155550100", LOCAL, {})


async def test_buy_when_vonage_is_down_is_a_known_failure() -> None:
    carrier = VonageProvider("k", "s", closed_port_url(), options=OPTIONS)
    try:
        with pytest.raises(ProviderUnavailableError, match="could not be reached") as failure:
            await carrier.buy("+14155550100", LOCAL, {})
        assert failure.value.outcome_unknown is False
    finally:
        await carrier.aclose()


async def test_read_timeout_after_vonage_sold_is_an_unknown_outcome(provider, fake) -> None:
    fake.fail("buy", "hang", act=True)

    with pytest.raises(ProviderUnavailableError, match="did not answer in time") as failure:
        await provider.buy("+14155550100", LOCAL, {})

    assert failure.value.outcome_unknown is True
    assert fake.owned == {"14155550100"}  # Vonage did sell it
    assert fake.calls["buy"] == 1  # once: never retried
    assert await provider.owns("+14155550100") is True


async def test_read_timeout_before_vonage_sold(provider, fake) -> None:
    fake.fail("buy", "hang")

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.buy("+14155550100", LOCAL, {})

    assert failure.value.outcome_unknown is True
    assert fake.owned == set()
    assert await provider.owns("+14155550100") is False


@pytest.mark.parametrize(
    ("kind", "act", "options", "owned"),
    [
        ("error", False, {}, set()),
        ("error", False, {"status": 502}, set()),
        ("refuse", False, {"status": 200, "code": "500", "label": "internal error"}, set()),
        ("drop", True, {}, {"14155550100"}),
        ("drop", False, {}, set()),
        ("malformed", True, {}, {"14155550100"}),
    ],
)
async def test_buy_failures_are_unknown_outcomes_and_never_retried(provider, fake, kind, act, options, owned) -> None:
    fake.fail("buy", kind, act=act, **options)

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.buy("+14155550100", LOCAL, {})

    assert failure.value.outcome_unknown is True
    assert fake.calls["buy"] == 1
    assert fake.owned == owned


async def test_buy_throttled_is_a_known_failure(provider, fake) -> None:
    fake.fail("buy", "error", status=429)

    with pytest.raises(ProviderUnavailableError, match="429") as failure:
        await provider.buy("+14155550100", LOCAL, {})
    assert failure.value.outcome_unknown is False
    assert fake.calls["buy"] == 1


# -- configuration problems ---------------------------------------------------------------


async def test_bad_credentials_name_the_variables(fake) -> None:
    carrier = make(fake, api_secret="wrong")
    try:
        for call in (carrier.buy("+14155550100", LOCAL, {}), carrier.search("US", LOCAL, SearchFilters())):
            with pytest.raises(ProviderUnavailableError, match="GATEWAY_VONAGE_API_KEY and GATEWAY_VONAGE_API_SECRET") as failure:
                await call
            assert failure.value.outcome_unknown is False
    finally:
        await carrier.aclose()
    assert fake.owned == set()
    assert fake.calls["search"] == 1  # a 401 is not retried


async def test_wrong_url_names_the_variable(fake) -> None:
    carrier = make(fake, url=fake.base_url + "/not-vonage")
    try:
        with pytest.raises(ProviderUnavailableError, match="GATEWAY_VONAGE_URL") as failure:
            await carrier.buy("+14155550100", LOCAL, {})
        assert failure.value.outcome_unknown is False
    finally:
        await carrier.aclose()


async def test_the_secret_never_reaches_the_request_log(provider, fake, caplog) -> None:
    caplog.set_level(logging.INFO, logger="httpx")

    await provider.search("US", LOCAL, SearchFilters(area_code="415"))

    assert "HTTP Request: GET" in caplog.text
    assert fake.api_secret not in caplog.text
    assert "api_secret=***" in caplog.text


# -- cancel, update, owns ---------------------------------------------------------------------


async def test_cancel(provider, fake) -> None:
    fake.give_us("14155550100")

    await provider.cancel("+14155550100")

    assert fake.owned == set()
    (params,) = fake.params_of("cancel")
    assert (params["country"], params["msisdn"]) == ("US", "14155550100")


async def test_cancel_of_a_number_that_is_not_ours(provider, fake) -> None:
    with pytest.raises(NumberUnavailableError, match="420"):
        await provider.cancel("+14155550100")


@pytest.mark.parametrize(("kind", "act", "owned"), [("error", False, {"14155550100"}), ("hang", True, set())])
async def test_cancel_failures_are_unknown_outcomes_and_never_retried(provider, fake, kind, act, owned) -> None:
    fake.give_us("14155550100")
    fake.fail("cancel", kind, act=act)

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.cancel("+14155550100")

    assert failure.value.outcome_unknown is True
    assert fake.calls["cancel"] == 1
    assert fake.owned == owned


async def test_update_sends_sms_url_and_status_callback(provider, fake) -> None:
    fake.give_us("14155550100")
    fake.fail("update", "error")  # an update is idempotent: retried

    await provider.update(
        "+14155550100",
        {"voice_url": "http://example.com/voice", "sms_url": "http://example.com/sms", "status_callback": None},
    )

    assert fake.settings["14155550100"] == {"moHttpUrl": "http://example.com/sms", "voiceStatusCallback": ""}
    assert fake.calls["update"] == 2
    with pytest.raises(NumberUnavailableError):
        await provider.update("+14155550101", {})


async def test_owns_and_owned_numbers(provider, fake) -> None:
    fake.give_us(*(f"1212555{n:04d}" for n in range(150)))
    fake.give_us("14155550100")

    owned = await provider.owned_numbers()

    assert owned is not None and len(owned) == 151
    assert owned[0] == "+12125550000" and "+14155550100" in owned
    assert fake.calls["numbers"] == 2  # two pages of 100
    assert await provider.owns("+12125550042") is True
    assert await provider.owns("+1212555004") is False  # a prefix of ours is not ours
    assert await provider.owns("+14155550101") is False
    assert fake.params_of("numbers")[-1]["pattern"] == "14155550101"


async def test_owns_is_retried_and_raises_when_vonage_cannot_be_asked(provider, fake) -> None:
    fake.give_us("14155550100")
    fake.fail("numbers", "hang")
    assert await provider.owns("+14155550100") is True
    assert fake.calls["numbers"] == 2

    fake.fail("numbers", "error", times=3)
    with pytest.raises(ProviderUnavailableError):
        await provider.owns("+14155550100")


async def test_countries(provider, fake) -> None:
    countries = await provider.countries()
    assert {"US", "CA", "GB"} <= set(countries)
    assert sum(fake.calls.values()) == 0


# -- build_carrier ---------------------------------------------------------------------------


async def test_build_carrier_defaults_the_url_and_names_missing_credentials() -> None:
    with pytest.raises(SettingsError) as failure:
        build_carrier(Settings(provider="vonage", vonage={"api_key": "k"}), None)  # type: ignore[arg-type]
    assert "GATEWAY_VONAGE_API_SECRET is required when GATEWAY_PROVIDER=vonage" in str(failure.value)
    assert "GATEWAY_VONAGE_URL" not in str(failure.value)

    settings = Settings.from_env(
        {"GATEWAY_PROVIDER": "vonage", "GATEWAY_VONAGE_API_KEY": "k", "GATEWAY_VONAGE_API_SECRET": "s"}
    )
    carrier = build_carrier(settings, None)  # type: ignore[arg-type]
    assert isinstance(carrier, VonageProvider)
    assert str(carrier._http.client.base_url).rstrip("/") == DEFAULT_URL
    await carrier.aclose()
