"""The VoIP Innovations provider against a fake carrier speaking the apidata protocol on
127.0.0.1, plus the shared HTTP plumbing (gateway.providers.http) and build_carrier."""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import httpx
import pytest

from gateway.assembly import build_carrier
from gateway.domain.numbers import NumberType
from gateway.providers.base import (
    NumberUnavailableError,
    ProviderUnavailableError,
    Purchase,
    SearchFilters,
)
from gateway.providers.http import HttpOptions, transport_failure
from gateway.providers.voipinnovations import VoipInnovationsProvider
from gateway.settings import Settings, SettingsError
from tests.fakes import closed_port_url
from tests.fakes.voipinnovations import FakeVoipInnovations

#: short timeouts keep the suite fast: the fake hangs for 1.5 s, the client waits 0.4 s
OPTIONS = HttpOptions(
    connect_timeout=0.5, read_timeout=0.4, write_timeout=0.5, pool_timeout=0.5, retries=2, backoff=0.01
)
LOCAL = NumberType.LOCAL


@pytest.fixture(scope="module")
def server() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations(hang_seconds=1.5) as carrier:
        yield carrier


@pytest.fixture
def fake(server: FakeVoipInnovations) -> FakeVoipInnovations:
    server.reset()
    server.seed("4156902867", "4156914883", "4156914885", rate_center="BELVEDERE", t38=True)
    server.seed("4153290373", rate_center="CORTEMADRA", t38=False)
    server.seed("2125550142", state="NY", lata="132", rate_center="NWYRCYZN01")
    return server


def make(fake: FakeVoipInnovations, **overrides: str) -> VoipInnovationsProvider:
    values = {
        "url": fake.url,
        "login": fake.login,
        "password": fake.password,
        "endpoint_group": fake.endpoint_group,
        **overrides,
    }
    return VoipInnovationsProvider(**values, options=OPTIONS)


@pytest.fixture
async def provider(fake: FakeVoipInnovations) -> AsyncIterator[VoipInnovationsProvider]:
    carrier = make(fake)
    yield carrier
    await carrier.aclose()


def numbers(found: list) -> list[str]:
    return [n.phone_number for n in found]


# -- search -------------------------------------------------------------------------------


async def test_search_by_area_code_reads_the_nested_answer(provider, fake) -> None:
    found = await provider.search("US", LOCAL, SearchFilters(area_code="415"))

    assert numbers(found) == ["+14156902867", "+14156914883", "+14156914885", "+14153290373"]
    first, last = found[0], found[-1]
    assert (first.friendly_name, first.iso_country, first.number_type) == ("(415) 690-2867", "US", LOCAL)
    assert (first.region, first.lata, first.rate_center) == ("CA", "722", "BELVEDERE")
    assert first.voice_capable and first.fax_capable and not first.sms_capable and not first.mms_capable
    assert last.rate_center == "CORTEMADRA" and not last.fax_capable
    # on the wire: one getDIDs with the NPA, and our credentials (XML-escaped, read back intact)
    (request,) = fake.requests_of("getDIDs")
    assert request.findtext("body/item/npa") == "415"
    assert request.findtext("header/sender/login") == "gateway"
    assert request.findtext("header/sender/password") == "s3cret<&>"
    assert request.get("id")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(area_code="415", contains="691***5"), ["+14156914885"]),
        (SearchFilters(area_code="415", contains="4156914"), ["+14156914883", "+14156914885"]),
        (SearchFilters(area_code="415", fax_enabled=False), ["+14153290373"]),
        (SearchFilters(area_code="415", fax_enabled=True, limit=2), ["+14156902867", "+14156914883"]),
        (SearchFilters(area_code="415", offset=1, limit=2), ["+14156914883", "+14156914885"]),
        (SearchFilters(area_code="415", in_region="ca", limit=1), ["+14156902867"]),
        (SearchFilters(area_code="415", in_region="NY"), []),
        # the carrier reports no postal code and no SMS: those filters match nothing
        (SearchFilters(area_code="415", in_postal_code="94920"), []),
        (SearchFilters(area_code="415", sms_enabled=True), []),
        (SearchFilters(area_code="415", voice_enabled=False), []),
    ],
)
async def test_search_applies_what_the_carrier_cannot_filter(provider, filters, expected) -> None:
    assert numbers(await provider.search("US", LOCAL, filters)) == expected


@pytest.mark.parametrize(("contains", "npa"), [("212555", "212"), ("1415329", "415"), ("415", "415")])
async def test_search_without_area_code_takes_it_from_contains(provider, fake, contains, npa) -> None:
    found = await provider.search("US", LOCAL, SearchFilters(contains=contains))

    assert fake.requests_of("getDIDs")[0].findtext("body/item/npa") == npa
    assert found and all(n.phone_number.startswith(f"+1{npa}") for n in found)


@pytest.mark.parametrize(
    "filters", [SearchFilters(), SearchFilters(contains="*415"), SearchFilters(contains="41"), SearchFilters(area_code="41")]
)
async def test_search_without_a_3_digit_area_code_is_refused(provider, fake, filters) -> None:
    with pytest.raises(NumberUnavailableError, match="AreaCode|3-digit"):
        await provider.search("US", LOCAL, filters)
    assert sum(fake.calls.values()) == 0


async def test_search_outside_us_local_numbers_is_empty(provider, fake) -> None:
    assert await provider.search("CA", LOCAL, SearchFilters(area_code="416")) == []
    assert await provider.search("US", NumberType.TOLL_FREE, SearchFilters(area_code="800")) == []
    assert await provider.search("US", NumberType.MOBILE, SearchFilters(area_code="415")) == []
    assert sum(fake.calls.values()) == 0
    assert await provider.countries() == ["US"]


async def test_search_with_no_results_is_empty(provider, fake) -> None:
    assert await provider.search("US", LOCAL, SearchFilters(area_code="999")) == []
    fake.taken.update({"2125550142"})
    assert await provider.search("US", LOCAL, SearchFilters(area_code="212")) == []


# -- buy ----------------------------------------------------------------------------------


async def test_buy_queries_then_assigns_to_the_endpoint_group(provider, fake) -> None:
    purchase = await provider.buy("+14156902867", LOCAL, {"voice_url": "http://example.com/rcml"})

    assert purchase == Purchase("+14156902867", capabilities={"voice": True})
    assert fake.owned == {"4156902867"}
    (query,) = fake.requests_of("queryDID")
    (assign,) = fake.requests_of("assignDID")
    assert query.findtext("body/item/did") == "4156902867"  # national digits, no +1
    assert assign.findtext("body/item/did") == "4156902867"
    assert assign.findtext("body/item/endpointgroup") == "rest-12345"
    assert await provider.owns("+14156902867") is True


@pytest.mark.parametrize(
    ("setup", "number", "message"),
    [
        (lambda f: f.taken.add("4156902867"), "+14156902867", "not available"),  # another customer's
        (lambda f: None, "+14155550000", "No records found"),  # not in the carrier's inventory
        (lambda f: f.give_us("4156902867"), "+14156902867", "already assigned"),  # ours already
    ],
)
async def test_buy_of_an_unavailable_number_is_refused_before_assigning(provider, fake, setup, number, message) -> None:
    setup(fake)
    owned_before = fake.owned

    with pytest.raises(NumberUnavailableError, match=message):
        await provider.buy(number, LOCAL, {})
    assert fake.calls["assignDID"] == 0
    assert fake.owned == owned_before


async def test_buy_refused_by_assign_did(provider, fake) -> None:
    fake.fail("assignDID", "refuse", code="301", label="Number not available")

    with pytest.raises(NumberUnavailableError, match="status 301"):
        await provider.buy("+14156902867", LOCAL, {})
    assert fake.owned == set()


async def test_buy_of_a_non_us_number_never_calls(provider, fake) -> None:
    with pytest.raises(NumberUnavailableError, match="only US numbers"):
        await provider.buy("+442079460000", LOCAL, {})
    assert sum(fake.calls.values()) == 0


async def test_buy_when_the_carrier_is_down_is_a_known_failure() -> None:
    carrier = VoipInnovationsProvider(closed_port_url("/api2.pl"), "l", "p", "g", options=OPTIONS)
    try:
        with pytest.raises(ProviderUnavailableError, match="could not be reached") as failure:
            await carrier.buy("+14156902867", LOCAL, {})
        assert failure.value.outcome_unknown is False
    finally:
        await carrier.aclose()


async def test_read_timeout_after_the_carrier_assigned_is_an_unknown_outcome(provider, fake) -> None:
    fake.fail("assignDID", "hang", act=True)

    with pytest.raises(ProviderUnavailableError, match="did not answer in time") as failure:
        await provider.buy("+14156902867", LOCAL, {})

    assert failure.value.outcome_unknown is True
    assert fake.owned == {"4156902867"}  # the carrier did act: "unknown" was the right answer
    assert fake.calls["assignDID"] == 1  # and it was not sent twice
    assert await provider.owns("+14156902867") is True  # what the reconciler will ask


async def test_read_timeout_before_the_carrier_assigned_is_an_unknown_outcome_too(provider, fake) -> None:
    fake.fail("assignDID", "hang", act=False)

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.buy("+14156902867", LOCAL, {})

    assert failure.value.outcome_unknown is True  # the client cannot tell the two apart
    assert fake.owned == set()
    assert await provider.owns("+14156902867") is False  # the reconciler can


@pytest.mark.parametrize(
    ("kind", "act", "owned"), [("error", False, set()), ("drop", True, {"4156902867"}), ("malformed", True, {"4156902867"})]
)
async def test_assign_failures_are_unknown_outcomes_and_never_retried(provider, fake, kind, act, owned) -> None:
    fake.fail("assignDID", kind, act=act)

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.buy("+14156902867", LOCAL, {})

    assert failure.value.outcome_unknown is True
    assert fake.calls["assignDID"] == 1
    assert fake.owned == owned


async def test_query_did_is_retried_on_the_way_to_a_purchase(provider, fake) -> None:
    fake.fail("queryDID", "error")
    fake.fail("queryDID", "drop")

    await provider.buy("+14156902867", LOCAL, {})

    assert fake.calls["queryDID"] == 3
    assert fake.calls["assignDID"] == 1
    assert fake.owned == {"4156902867"}


# -- retries and failures on queries ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["error", "drop", "hang"])
async def test_search_succeeds_after_one_failure(provider, fake, kind) -> None:
    fake.fail("getDIDs", kind)

    found = await provider.search("US", LOCAL, SearchFilters(area_code="212"))

    assert numbers(found) == ["+12125550142"]
    assert fake.calls["getDIDs"] == 2


async def test_search_gives_up_after_its_retries(provider, fake) -> None:
    fake.fail("getDIDs", "error", times=3, status=502)

    with pytest.raises(ProviderUnavailableError, match="HTTP 502") as failure:
        await provider.search("US", LOCAL, SearchFilters(area_code="415"))

    assert failure.value.outcome_unknown is False  # a query changes nothing
    assert fake.calls["getDIDs"] == 3


async def test_no_retry_starts_after_the_retry_budget(fake) -> None:
    fake.fail("getDIDs", "hang", times=3)
    carrier = VoipInnovationsProvider(
        fake.url, fake.login, fake.password, fake.endpoint_group,
        options=HttpOptions(read_timeout=0.25, retries=2, backoff=0.01, retry_budget=0.2),
    )
    try:
        with pytest.raises(ProviderUnavailableError, match="did not answer in time"):
            await carrier.search("US", LOCAL, SearchFilters(area_code="415"))
    finally:
        await carrier.aclose()
    assert fake.calls["getDIDs"] == 1


async def test_malformed_search_answer(provider, fake) -> None:
    fake.fail("getDIDs", "malformed")

    with pytest.raises(ProviderUnavailableError, match="cannot read") as failure:
        await provider.search("US", LOCAL, SearchFilters(area_code="415"))
    assert failure.value.outcome_unknown is False


async def test_a_carrier_error_code_on_search_is_unavailable_not_empty(provider, fake) -> None:
    fake.fail("getDIDs", "refuse", code="500", label="Database unavailable")

    with pytest.raises(ProviderUnavailableError, match="status 500") as failure:
        await provider.search("US", LOCAL, SearchFilters(area_code="415"))
    assert failure.value.outcome_unknown is False


# -- configuration problems ---------------------------------------------------------------


async def test_wrong_password_names_the_variables_to_check(fake) -> None:
    carrier = make(fake, password="wrong")
    try:
        with pytest.raises(ProviderUnavailableError, match="GATEWAY_VOIPINNOVATIONS_PASSWORD") as failure:
            await carrier.buy("+14156902867", LOCAL, {})
        assert failure.value.outcome_unknown is False
        with pytest.raises(ProviderUnavailableError, match="Invalid login"):
            await carrier.search("US", LOCAL, SearchFilters(area_code="415"))
    finally:
        await carrier.aclose()
    assert fake.owned == set()


async def test_wrong_endpoint_group_is_a_configuration_error(fake) -> None:
    carrier = make(fake, endpoint_group="nope")
    try:
        with pytest.raises(ProviderUnavailableError, match="GATEWAY_VOIPINNOVATIONS_ENDPOINT_GROUP") as failure:
            await carrier.buy("+14156902867", LOCAL, {})
        assert failure.value.outcome_unknown is False
    finally:
        await carrier.aclose()


@pytest.mark.parametrize(("status", "variable"), [(401, "GATEWAY_VOIPINNOVATIONS_LOGIN"), (404, "GATEWAY_VOIPINNOVATIONS_URL")])
async def test_http_refusals_name_the_variable(provider, fake, status, variable) -> None:
    fake.fail("getDIDs", "error", status=status)

    with pytest.raises(ProviderUnavailableError, match=variable):
        await provider.search("US", LOCAL, SearchFilters(area_code="415"))
    assert fake.calls["getDIDs"] == 1  # a 4xx is not retried


# -- cancel, update, owns ---------------------------------------------------------------------


async def test_cancel_queries_then_releases(provider, fake) -> None:
    fake.give_us("4156902867")

    await provider.cancel("+14156902867")

    assert fake.owned == set()
    (release,) = fake.requests_of("releaseDID")
    assert release.findtext("body/item/did") == "4156902867"


@pytest.mark.parametrize("number", ["+14156914883", "+14155550000"])  # available (not ours); unknown
async def test_cancel_of_a_number_that_is_not_ours_is_refused(provider, fake, number) -> None:
    with pytest.raises(NumberUnavailableError):
        await provider.cancel(number)
    assert fake.calls["releaseDID"] == 0


async def test_cancel_refused_by_release_did(provider, fake) -> None:
    fake.give_us("4156902867")
    fake.fail("releaseDID", "refuse", code="304", label="DID not assigned to you")

    with pytest.raises(NumberUnavailableError, match="304"):
        await provider.cancel("+14156902867")


async def test_cancel_timeout_after_release_then_retry_says_already_released(provider, fake) -> None:
    fake.give_us("4156902867")
    fake.fail("releaseDID", "hang", act=True)

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.cancel("+14156902867")
    assert failure.value.outcome_unknown is True
    assert fake.owned == set()
    assert fake.calls["releaseDID"] == 1

    with pytest.raises(NumberUnavailableError, match="not assigned"):
        await provider.cancel("+14156902867")  # the service reads this as released


async def test_release_5xx_is_not_retried(provider, fake) -> None:
    fake.give_us("4156902867")
    fake.fail("releaseDID", "error")

    with pytest.raises(ProviderUnavailableError) as failure:
        await provider.cancel("+14156902867")
    assert failure.value.outcome_unknown is True
    assert fake.calls["releaseDID"] == 1
    assert fake.owned == {"4156902867"}


async def test_owns_and_owned_numbers(provider, fake) -> None:
    fake.give_us("4156902867")
    fake.taken.add("4156914885")

    assert await provider.owns("+14156902867") is True
    assert await provider.owns("+14156914883") is False  # available
    assert await provider.owns("+14156914885") is False  # another customer's
    assert await provider.owns("+14155550000") is False  # unknown to the carrier
    calls = sum(fake.calls.values())
    assert await provider.owns("+442079460000") is False
    assert await provider.owned_numbers() is None  # no listing in this protocol
    await provider.update("+14156902867", {"voice_url": "http://example.com"})
    assert sum(fake.calls.values()) == calls  # none of these three called the carrier


async def test_owns_says_none_when_the_answer_does_not_say(provider, fake) -> None:
    fake.fail("queryDID", "refuse", code="100", label="OK")
    assert await provider.owns("+14156902867") is None


async def test_owns_raises_when_the_carrier_cannot_be_asked() -> None:
    carrier = VoipInnovationsProvider(closed_port_url("/api2.pl"), "l", "p", "g", options=OPTIONS)
    try:
        with pytest.raises(ProviderUnavailableError):
            await carrier.owns("+14156902867")
    finally:
        await carrier.aclose()


# -- shared plumbing: the httpx error table ---------------------------------------------------

_REQUEST = httpx.Request("POST", "http://127.0.0.1/")


@pytest.mark.parametrize(
    ("error", "unknown"),
    [
        (httpx.ConnectError("refused", request=_REQUEST), False),
        (httpx.ConnectTimeout("slow", request=_REQUEST), False),
        (httpx.PoolTimeout("busy", request=_REQUEST), False),
        (httpx.UnsupportedProtocol("ftp", request=_REQUEST), False),
        (httpx.ReadTimeout("slow", request=_REQUEST), True),
        (httpx.WriteTimeout("slow", request=_REQUEST), True),
        (httpx.ReadError("reset", request=_REQUEST), True),
        (httpx.WriteError("reset", request=_REQUEST), True),
        (httpx.RemoteProtocolError("closed", request=_REQUEST), True),
    ],
)
def test_transport_failures_say_whether_the_request_may_have_been_acted_on(error, unknown) -> None:
    assert transport_failure("C", "buy", error, idempotent=False).outcome_unknown is unknown
    assert transport_failure("C", "search", error, idempotent=True).outcome_unknown is False


# -- build_carrier ---------------------------------------------------------------------------


def test_build_carrier_names_every_missing_variable() -> None:
    settings = Settings(provider="voipinnovations", voipinnovations={"url": "https://vi.example/api2.pl", "login": " "})
    with pytest.raises(SettingsError) as failure:
        build_carrier(settings, None)  # type: ignore[arg-type]
    message = str(failure.value)
    assert "GATEWAY_VOIPINNOVATIONS_LOGIN" in message
    assert "GATEWAY_VOIPINNOVATIONS_PASSWORD" in message
    assert "GATEWAY_VOIPINNOVATIONS_ENDPOINT_GROUP" in message
    assert "GATEWAY_VOIPINNOVATIONS_URL" not in message


async def test_build_carrier_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "GATEWAY_PROVIDER": "voipinnovations",
            "GATEWAY_VOIPINNOVATIONS_URL": "https://vi.example/api2.pl",
            "GATEWAY_VOIPINNOVATIONS_LOGIN": "l",
            "GATEWAY_VOIPINNOVATIONS_PASSWORD": "p",
            "GATEWAY_VOIPINNOVATIONS_ENDPOINT_GROUP": "g",
        }
    )
    carrier = build_carrier(settings, None)  # type: ignore[arg-type]
    assert isinstance(carrier, VoipInnovationsProvider)
    await carrier.aclose()

    bad = Settings(
        provider="voipinnovations",
        voipinnovations={"url": "vi.example", "login": "l", "password": "p", "endpoint_group": "g"},
    )
    with pytest.raises(SettingsError, match="GATEWAY_VOIPINNOVATIONS_URL"):
        build_carrier(bad, None)  # type: ignore[arg-type]
