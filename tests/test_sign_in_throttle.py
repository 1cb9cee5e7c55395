"""Repeated failed sign-ins: 429 for that username from that address until the window
passes; other addresses and other usernames are not affected (no lock-out anyone can cause)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from starlette.applications import Starlette

from gateway.app import serving_stack
from gateway.settings import Settings
from gateway.storage.tables import AuthFailure
from tests.support.accounts import ADMIN_TOKEN, Credentials
from tests.support.rest import account_path

LIMIT = 5


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, admin_token=ADMIN_TOKEN, auth_failure_limit=LIMIT,
                    auth_failure_window=60)


@pytest.fixture
async def from_address(app: Starlette) -> AsyncIterator:  # type: ignore[type-arg]
    clients: list[httpx.AsyncClient] = []

    def client(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=serving_stack(app), client=(address, 40000))
        clients.append(httpx.AsyncClient(transport=transport, base_url="http://testserver"))
        return clients[-1]

    yield client
    for made in clients:
        await made.aclose()


async def test_failures_then_429_for_that_address_only(from_address, admin: Credentials, make_account, sessionmaker) -> None:
    attacker, user = from_address("203.0.113.7"), from_address("198.51.100.20")
    path = account_path(admin.sid, ".json")
    statuses = [(await attacker.get(path, auth=(admin.sid, f"guess-{n}"))).status_code for n in range(LIMIT + 3)]
    assert statuses == [401] * LIMIT + [429] * 3
    throttled = await attacker.get(path, auth=admin.auth)  # even the right token, from there
    assert throttled.status_code == 429 and 0 < int(throttled.headers["retry-after"]) <= 61
    assert throttled.json()["code"] == 20429 and "203.0.113.7" in throttled.json()["message"]
    graphql = await attacker.post("/graphql", json={"query": "{ viewer { sid } }"}, auth=admin.auth)
    assert graphql.status_code == 429 and graphql.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    # The account's own client elsewhere, and other usernames from the attacker's address, are unaffected.
    assert (await user.get(path, auth=admin.auth)).status_code == 200
    other = await make_account(None)
    assert (await attacker.get(account_path(other.sid, ".json"), auth=other.auth)).status_code == 200
    # Once the window has passed (aged here rather than waited for), the address may try again.
    async with sessionmaker() as session:
        await session.exec(update(AuthFailure).values(  # type: ignore[call-overload]
            window_start=AuthFailure.window_start - timedelta(seconds=61)))
        await session.commit()
    assert (await attacker.get(path, auth=admin.auth)).status_code == 200


async def test_successes_neither_count_nor_reset(from_address, admin: Credentials) -> None:
    client = from_address("203.0.113.8")
    path = account_path(admin.sid, ".json")
    for n in range(LIMIT - 1):
        assert (await client.get(path, auth=(admin.sid, f"typo-{n}"))).status_code == 401
    for _ in range(3):
        assert (await client.get(path, auth=admin.auth)).status_code == 200
    assert (await client.get(path, auth=(admin.sid, "one more typo"))).status_code == 401
    assert (await client.get(path, auth=(admin.sid, "and another"))).status_code == 429


async def test_unknown_usernames_count_too(from_address) -> None:
    client = from_address("203.0.113.9")
    path = account_path("AC" + "1" * 32, ".json")
    statuses = [(await client.get(path, auth=("nobody@example.com", "x"))).status_code for _ in range(LIMIT + 1)]
    assert statuses == [401] * LIMIT + [429]
