"""Idempotency-Key (REST) and idempotencyKey (GraphQL): a retried purchase returns the
first outcome and never buys twice; records live in the database, per account."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from gateway.observability.carrier import InstrumentedProvider
from gateway.providers.http import HttpOptions
from gateway.providers.voipinnovations import VoipInnovationsProvider
from gateway.services.reconcile import reconcile
from gateway.storage.tables import IdempotencyRecord, IncomingPhoneNumber, SandboxSoldNumber
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.support.accounts import Credentials, numbers_path


async def buy(client, who: Credentials, key: str, **form: str):  # type: ignore[no-untyped-def]
    return await client.post(numbers_path(who.sid, ".json"), data=form, auth=who.auth, headers={"Idempotency-Key": key})


async def rows(sessionmaker, table):  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return list(await session.exec(select(table)))


async def test_a_retry_returns_the_first_number(client, admin: Credentials, sessionmaker) -> None:
    first = await buy(client, admin, "order-1", AreaCode="510", FriendlyName="Sales")
    again = await buy(client, admin, "order-1", AreaCode="510", FriendlyName="Sales")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert len(await rows(sessionmaker, IncomingPhoneNumber)) == 1
    assert len(await rows(sessionmaker, SandboxSoldNumber)) == 1  # bought once from the carrier


async def test_the_same_key_with_other_parameters_is_refused(client, admin: Credentials) -> None:
    assert (await buy(client, admin, "order-2", PhoneNumber="+15105550111")).status_code == 200
    other = await buy(client, admin, "order-2", PhoneNumber="+15105550112")
    assert other.status_code == 400 and other.json()["code"] == 20001
    assert "Idempotency-Key" in other.json()["message"]


async def test_keys_belong_to_one_account(client, admin: Credentials, make_account) -> None:
    other = await make_account(None)
    mine = await buy(client, admin, "same-key", AreaCode="415")
    theirs = await buy(client, other, "same-key", AreaCode="415")
    assert mine.status_code == theirs.status_code == 200
    assert mine.json()["sid"] != theirs.json()["sid"]


async def test_a_refusal_is_kept(client, admin: Credentials, sessionmaker) -> None:
    first = await buy(client, admin, "order-3", PhoneNumber="+15005550000")
    again = await buy(client, admin, "order-3", PhoneNumber="+15005550000")
    assert first.status_code == again.status_code == 400
    assert first.json()["code"] == again.json()["code"] == 21452
    [record] = await rows(sessionmaker, IdempotencyRecord)
    assert (record.state, record.error_code) == ("done", "NUMBER_UNAVAILABLE")


async def test_a_request_that_never_reached_the_carrier_is_forgotten(client, admin: Credentials, sessionmaker) -> None:
    unreachable = await buy(client, admin, "order-4", PhoneNumber="+15005550001")
    assert unreachable.status_code == 503
    assert await rows(sessionmaker, IdempotencyRecord) == []  # so the retry runs again
    invalid = await buy(client, admin, "order-5", PhoneNumber="+1999")
    assert invalid.status_code == 400 and await rows(sessionmaker, IdempotencyRecord) == []


async def test_concurrent_retries_buy_once(client, admin: Credentials, sessionmaker) -> None:
    responses = await asyncio.gather(*(buy(client, admin, "order-6", PhoneNumber="+15105550113") for _ in range(5)))
    ok = [r for r in responses if r.status_code == 200]
    assert ok and {r.json()["sid"] for r in ok} == {ok[0].json()["sid"]}
    # the others arrive while the first is in flight: told to retry (409, or 503 once it is at the carrier)
    retry = {(409, 20409), (503, 21453)}
    assert all((r.status_code, r.json()["code"]) in retry for r in responses if r.status_code != 200)
    assert len(await rows(sessionmaker, IncomingPhoneNumber)) == 1


async def test_a_bad_key_is_refused(client, admin: Credentials) -> None:
    response = await buy(client, admin, "x" * 256, PhoneNumber="+15105550114")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["message"]


async def test_an_unknown_outcome_is_answered_after_reconcile(app, client, admin: Credentials, sessionmaker) -> None:
    with FakeVoipInnovations(hang_seconds=0.5) as carrier:
        carrier.seed("5105550120")
        app.state.provider = InstrumentedProvider(VoipInnovationsProvider(
            carrier.url, carrier.login, carrier.password, carrier.endpoint_group,
            options=HttpOptions(read_timeout=0.2, retries=0),
        ))
        carrier.fail("assignDID", "hang", act=True)  # the carrier sells it, the answer never comes
        first = await buy(client, admin, "order-7", PhoneNumber="+15105550120")
        assert first.status_code == 503 and first.headers["retry-after"]
        pending = await buy(client, admin, "order-7", PhoneNumber="+15105550120")
        assert pending.status_code == 503 and "still being confirmed" in pending.json()["message"]
        listed = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
        assert listed.json()["total"] == 0  # a pending number is not shown
        await asyncio.sleep(0.4)
        await reconcile(db=app.state.database, provider=app.state.provider, late_window=timedelta(0))
        settled = await buy(client, admin, "order-7", PhoneNumber="+15105550120")
        assert settled.status_code == 200 and settled.json()["phone_number"] == "+15105550120"
        assert carrier.owned == {"5105550120"}
        assert len(carrier.requests_of("assignDID")) == 1


async def test_graphql_idempotency_key(client, admin: Credentials, sessionmaker) -> None:
    mutation = """mutation { purchaseNumber(input: {phoneNumber: "+15105550115", idempotencyKey: "gql-1"})
                 { incomingPhoneNumber { sid } userErrors { code } } }"""
    first = (await client.post("/graphql", json={"query": mutation}, auth=admin.auth)).json()
    again = (await client.post("/graphql", json={"query": mutation}, auth=admin.auth)).json()
    sid = first["data"]["purchaseNumber"]["incomingPhoneNumber"]["sid"]
    assert again["data"]["purchaseNumber"]["incomingPhoneNumber"]["sid"] == sid
    assert len(await rows(sessionmaker, IncomingPhoneNumber)) == 1
    # the same key over REST is the same purchase
    rest = await buy(client, admin, "gql-1", PhoneNumber="+15105550115")
    assert rest.status_code == 200 and rest.json()["sid"] == sid
