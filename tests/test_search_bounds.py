"""Searches are bounded and run off the event loop (issue 8, finding 3)."""

from __future__ import annotations

import asyncio
import itertools
import threading

import phonenumbers
import pytest

from gateway.domain.numbers import NumberType
from gateway.graphql.costs import MAX_CARRIER_SEARCHES
from gateway.providers import sandbox
from gateway.providers.base import SearchFilters, matches_pattern
from gateway.providers.sandbox import MAX_EXAMINED, SandboxProvider, containing

pytestmark = pytest.mark.one_database  # the sandbox's searches, not the data


def test_candidates_are_built_to_contain_the_pattern() -> None:
    assert list(containing(["+1415"], 7, "99999999")) == []  # longer than the free digits: nothing to examine
    assert list(containing(["+1415"], 7, "9999999")) == ["+14159999999"]
    some = list(itertools.islice(containing(["+1415", "+1510"], 7, "55*5"), 200))
    assert len(some) == len(set(some)) == 200
    assert all(matches_pattern(n, "55*5") for n in some)
    assert {n[:5] for n in some} == {"+1415", "+1510"}


async def test_a_rare_pattern_examines_a_bounded_number_of_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    examined = []
    real_parse = phonenumbers.parse

    def counting_parse(number: str, *args: object) -> phonenumbers.PhoneNumber:
        examined.append(number)
        return real_parse(number, *args)

    monkeypatch.setattr(sandbox.phonenumbers, "parse", counting_parse)
    provider = SandboxProvider()
    # every 7-digit run of the free digits is fixed: 8 numbers per prefix, all of 6 prefixes
    found = await provider.search("US", NumberType.LOCAL, SearchFilters(contains="9999999", limit=100))
    assert {n.phone_number for n in found} <= {f"{p}9999999" for p in sandbox.INVENTORY[("US", NumberType.LOCAL)][0]}
    assert len(examined) <= 6
    examined.clear()
    await provider.search("US", NumberType.LOCAL, SearchFilters(contains="99999999", limit=1))
    assert examined == []  # the Restcomm reproduction: nothing can match, nothing is examined
    examined.clear()
    await provider.search("US", NumberType.LOCAL, SearchFilters(contains="1*1*1*", limit=100, offset=900))
    assert len(examined) <= MAX_EXAMINED


async def test_the_search_work_leaves_the_event_loop_free(client, admin, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search's candidate work is paused on purpose until /healthz has answered: that can
    only happen if the work runs outside the event loop (on the loop, the pause would block
    the loop, /healthz could not answer, and the pause would end by its timeout instead)."""
    paused, resume = threading.Event(), threading.Event()
    resumed_by_us: list[bool] = []
    real_valid = phonenumbers.is_valid_number

    def pausing_valid(parsed: phonenumbers.PhoneNumber) -> bool:
        if not paused.is_set():
            paused.set()
            resumed_by_us.append(resume.wait(timeout=5))
        return bool(real_valid(parsed))

    monkeypatch.setattr(sandbox.phonenumbers, "is_valid_number", pausing_valid)
    search = asyncio.create_task(client.get(
        f"/2012-04-24/Accounts/{admin.sid}/AvailablePhoneNumbers/US/Local.json",
        params={"Contains": "4*4*4", "RangeSize": "5"}, auth=admin.auth,
    ))
    while not paused.is_set():
        await asyncio.sleep(0.001)
    health = await client.get("/healthz")
    resume.set()
    assert health.status_code == 200
    assert (await search).status_code == 200
    assert resumed_by_us == [True]


async def test_a_graphql_request_starts_a_bounded_number_of_carrier_searches(app, client, admin) -> None:
    searches = 0
    provider = app.state.provider
    real_search = provider.search

    async def counting_search(*args: object) -> object:
        nonlocal searches
        searches += 1
        return await real_search(*args)

    provider.search = counting_search
    try:
        allowed = " ".join(f"s{i}: availablePhoneNumbers(areaCode: \"415\", first: 1) {{ phoneNumber }}"
                           for i in range(MAX_CARRIER_SEARCHES))
        ok = (await client.post("/graphql", json={"query": "{ %s }" % allowed}, auth=admin.auth)).json()
        assert "errors" not in ok and searches == MAX_CARRIER_SEARCHES
        searches = 0
        fragment = "fragment F on Query { availablePhoneNumbers(first: 1) { phoneNumber } } "
        too_many = fragment + "{ " + " ".join(f"a{i}: availableCountries" for i in range(MAX_CARRIER_SEARCHES)) + " ...F }"
        refused = (await client.post("/graphql", json={"query": too_many}, auth=admin.auth)).json()
    finally:
        del provider.search
    assert refused["data"] is None and searches == 0  # refused before any ran
    [error] = refused["errors"]
    assert error["extensions"] == {"code": "CARRIER_SEARCH_LIMIT", "limit": MAX_CARRIER_SEARCHES}
    assert f"would start {MAX_CARRIER_SEARCHES + 1} carrier searches" in error["message"]
