"""Connection discipline (issue 8, findings 1 and 2): concurrent purchases never answer
500, a request holds at most one connection and none while the carrier works, and an
exhausted pool answers 503 with Retry-After instead of stalling.

Outcomes, not timings: "0 × 500 among 40", "the list answers while every purchase is
still at the carrier", "503 with Retry-After".
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Iterator

import httpx
import pytest
from sqlalchemy import text

from gateway.app import create_app, serving_stack
from gateway.services.carrier import bounded
from gateway.settings import Settings
from gateway.storage.database import Database, holds_session
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN, numbers_path
from tests.support.server import gateway_process

AUTH = (ADMIN_SID, ADMIN_TOKEN)


@pytest.fixture(scope="module")
def carrier() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations(hang_seconds=1.5) as fake:
        yield fake


@pytest.mark.slow
@pytest.mark.parametrize("clients", [10, 40])
async def test_parallel_area_code_purchases_each_get_a_number(database_url: str, clients: int) -> None:
    env = {"GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN}
    with gateway_process(env) as base:
        async with httpx.AsyncClient(base_url=base, auth=AUTH, timeout=60) as client:
            responses = await asyncio.gather(*(
                client.post(numbers_path(ADMIN_SID, ".json"), data={"AreaCode": "415"}) for _ in range(clients)
            ))
            statuses = Counter(r.status_code for r in responses)
            assert statuses == {200: clients}, [r.text for r in responses if r.status_code != 200]
            numbers = [r.json()["phone_number"] for r in responses]
            assert len(set(numbers)) == clients and all(n.startswith("+1415") for n in numbers)
            listed = await client.get(numbers_path(ADMIN_SID, ".json"), params={"PageSize": 100})
            assert sorted(n["phone_number"] for n in listed.json()["incomingPhoneNumbers"]) == sorted(numbers)


async def test_graphql_area_code_purchases_in_parallel(client, admin) -> None:
    mutation = ("mutation { purchaseNumber(input: {areaCode: \"212\"}) "
                "{ incomingPhoneNumber { phoneNumber } userErrors { code } } }")
    answers = await asyncio.gather(*(
        client.post("/graphql", json={"query": mutation}, auth=admin.auth) for _ in range(10)
    ))
    assert [a.status_code for a in answers] == [200] * 10
    bought = [a.json()["data"]["purchaseNumber"]["incomingPhoneNumber"]["phoneNumber"] for a in answers]
    assert len(set(bought)) == 10


@pytest.mark.slow
async def test_a_list_answers_while_every_purchase_waits_on_a_slow_carrier(
    database_url: str, carrier: FakeVoipInnovations
) -> None:
    """Pool of 2, 20 purchases at a carrier that takes 1.5 s: the list is not stuck behind them."""
    carrier.reset()
    numbers = [f"510555{n:04d}" for n in range(6000, 6020)]
    carrier.seed(*numbers)
    carrier.fail("assignDID", "hang", act=True, times=len(numbers))  # sells, answering after 1.5 s
    env = {
        "GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
        "GATEWAY_DATABASE_POOL_SIZE": "2", "GATEWAY_DATABASE_POOL_TIMEOUT": "10",
        "GATEWAY_PROVIDER": "voipinnovations", "GATEWAY_VOIPINNOVATIONS_URL": carrier.url,
        "GATEWAY_VOIPINNOVATIONS_LOGIN": carrier.login, "GATEWAY_VOIPINNOVATIONS_PASSWORD": carrier.password,
        "GATEWAY_VOIPINNOVATIONS_ENDPOINT_GROUP": carrier.endpoint_group, "GATEWAY_CARRIER_TIMEOUT": "10",
    }
    with gateway_process(env) as base:
        async with httpx.AsyncClient(base_url=base, auth=AUTH, timeout=60) as client:
            done: list[int] = []

            async def buy(tn: str) -> httpx.Response:
                response = await client.post(numbers_path(ADMIN_SID, ".json"), data={"PhoneNumber": f"+1{tn}"})
                done.append(response.status_code)
                return response

            purchases = asyncio.gather(*(buy(tn) for tn in numbers))
            while carrier.calls["assignDID"] < len(numbers):  # every purchase is at the carrier
                await asyncio.sleep(0.01)
            listed = await client.get(numbers_path(ADMIN_SID, ".json"))
            assert listed.status_code == 200 and done == []  # answered while all 20 still wait
            assert [r.status_code for r in await purchases] == [200] * len(numbers)
    assert carrier.owned == set(numbers)


async def test_an_exhausted_pool_answers_503_with_retry_after(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0,
                              database_pool_size=1, database_pool_timeout=0.2))
    async with app.router.lifespan_context(app):
        holding, release = asyncio.Event(), asyncio.Event()

        async def hold_the_only_connection() -> None:
            async with app.state.database.session() as session:
                await session.exec(text("SELECT 1"))
                holding.set()
                await release.wait()

        holder = asyncio.create_task(hold_the_only_connection())
        await holding.wait()
        transport = httpx.ASGITransport(app=serving_stack(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", auth=AUTH) as client:
            rest = await client.get(numbers_path(ADMIN_SID, ".json"))
            graphql = await client.post("/graphql", json={"query": "{ viewer { sid } }"})
            release.set()
            await holder
            after = await client.get(numbers_path(ADMIN_SID, ".json"))
    assert rest.status_code == 503 and rest.json()["code"] == 20503 and int(rest.headers["retry-after"]) >= 1
    assert "no database connection became free within 0.2 s" in rest.json()["message"]
    assert graphql.status_code == 503 and int(graphql.headers["retry-after"]) >= 1
    assert graphql.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert after.status_code == 200  # nothing stuck once the connection is back


async def test_a_second_session_in_one_task_is_refused(database_url: str) -> None:
    database = Database.connect(database_url)
    try:
        async with database.session():
            assert holds_session()
            with pytest.raises(RuntimeError, match="already holds a database session"):
                async with database.session():
                    pass
            with pytest.raises(RuntimeError, match="already holds a database session"):
                async with database.for_request().session():
                    pass
        assert not holds_session()
    finally:
        await database.dispose()


async def test_the_carrier_is_never_called_while_a_session_is_held(app) -> None:
    provider = app.state.provider
    async with app.state.database.session():
        with pytest.raises(RuntimeError, match="while a database session was held"):
            await bounded(provider, provider.countries(), what="the country list")
    assert await bounded(provider, provider.countries(), what="the country list")


async def test_sibling_resolvers_take_turns_on_one_connection(app, client, admin) -> None:
    """30 aliased lists in one request never hold two connections at once."""
    engine = app.state.database.engine
    checked_out = []
    pool = engine.sync_engine.pool
    aliases = " ".join(f"l{i}: incomingPhoneNumbers(first: 1) {{ totalCount }}" for i in range(30))

    from sqlalchemy import event

    def on_checkout(*_: object) -> None:
        checked_out.append(pool.checkedout())

    event.listen(engine.sync_engine, "checkout", on_checkout)
    try:
        response = await client.post("/graphql", json={"query": "{ %s }" % aliases}, auth=admin.auth)
    finally:
        event.remove(engine.sync_engine, "checkout", on_checkout)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    assert checked_out and max(checked_out) == 1
