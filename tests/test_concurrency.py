"""Concurrent purchases of one number: the database's unique indexes, not luck, decide.

Runs on SQLite and on PostgreSQL (the `client` fixture runs each test on both); on
PostgreSQL the requests really overlap on separate connections.
"""

from __future__ import annotations

import asyncio

import pytest

from gateway.services import numbers as numbers_service
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import FORM, count_rows


async def purchase(client, who: Credentials, body: bytes):
    return await client.post(numbers_path(who.sid, ".json"), content=body, headers=FORM, auth=who.auth)


def outcome(responses, buyers: list[str] | None = None) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    """Winners and losers. A loser of another account is told 21452; one of the winner's
    own account is told 21452 (it has the number already) or 503 with Retry-After (its
    other request is still confirming it with the carrier)."""
    won = [r for r in responses if r.status_code == 200]
    owner = won[0].json()["account_sid"] if won else None
    lost = []
    for index, response in enumerate(responses):
        if response.status_code == 200:
            continue
        lost.append(response)
        same_account = (buyers[index] if buyers else owner) == owner
        allowed = {(400, 21452), (503, 21453)} if same_account else {(400, 21452)}
        assert (response.status_code, response.json()["code"]) in allowed, response.text
        if response.status_code == 503:
            assert int(response.headers["retry-after"]) >= 1
    return won, lost


async def test_two_concurrent_purchases_of_one_number(client, admin: Credentials, sessionmaker) -> None:
    responses = await asyncio.gather(*(purchase(client, admin, b"PhoneNumber=+15105555555") for _ in range(2)))
    won, lost = outcome(responses)
    assert (len(won), len(lost)) == (1, 1)
    assert await count_rows(sessionmaker, "+15105555555") == 1
    listed = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
    assert [n["sid"] for n in listed.json()["incomingPhoneNumbers"]] == [won[0].json()["sid"]]


async def test_ten_concurrent_purchases_from_many_accounts(client, admin: Credentials, make_account, sessionmaker) -> None:
    buyers = [admin, await make_account(admin), await make_account(None), await make_account(None)]
    spellings = [b"PhoneNumber=+14155550123", b"PhoneNumber=14155550123", b"PhoneNumber=%2B1%20415%20555%200123"]
    responses = await asyncio.gather(*(
        purchase(client, buyers[i % len(buyers)], spellings[i % len(spellings)]) for i in range(10)
    ))
    won, lost = outcome(responses, [buyers[i % len(buyers)].sid for i in range(10)])
    assert (len(won), len(lost)) == (1, 9)
    assert await count_rows(sessionmaker, "+14155550123") == 1
    owner = won[0].json()["account_sid"]
    totals = {}
    for buyer in buyers:
        listed = await client.get(numbers_path(buyer.sid, ".json"), auth=buyer.auth)
        totals[buyer.sid] = listed.json()["total"]
    assert totals == {b.sid: int(b.sid == owner) for b in buyers}


async def test_concurrent_sip_registrations_in_one_organization(client, admin: Credentials, make_account, sessionmaker) -> None:
    child = await make_account(admin)
    other = await make_account(None)
    responses = await asyncio.gather(*(
        purchase(client, who, b"PhoneNumber=1234&isSIP=true") for who in (admin, child, admin, child, other, other)
    ))
    won = [r for r in responses if r.status_code == 200]
    # one per organization
    assert sorted(r.json()["account_sid"] in (admin.sid, child.sid) for r in won) == [False, True]
    assert all(r.json()["code"] == 21452 for r in responses if r.status_code != 200)
    assert await count_rows(sessionmaker, "1234") == 2


async def test_concurrent_release_and_purchase(client, admin: Credentials, make_account, sessionmaker) -> None:
    """Releasing while others try to buy: the number ends with at most one owner, never two."""
    other = await make_account(None)
    bought = (await purchase(client, admin, b"PhoneNumber=+15105555555")).json()
    release = client.delete(numbers_path(admin.sid, f"/{bought['sid']}.json"), auth=admin.auth)
    results = await asyncio.gather(release, *(purchase(client, other, b"PhoneNumber=+15105555555") for _ in range(3)))
    assert results[0].status_code == 204
    won, _ = outcome(results[1:])
    assert len(won) <= 1
    assert await count_rows(sessionmaker, "+15105555555") == len(won)
    # whoever holds it now, exactly one more purchase can follow a release
    if not won:
        assert (await purchase(client, other, b"PhoneNumber=+15105555555")).status_code == 200
    assert await count_rows(sessionmaker, "+15105555555") == 1


async def test_concurrent_releases_of_one_number(client, admin: Credentials, sessionmaker) -> None:
    """Released several times at once: one 204, the others learn it is gone or going; never a 500."""
    for phone_number in ("+15105555555", "1234"):
        body = f"PhoneNumber={phone_number}".encode() + (b"&isSIP=true" if phone_number == "1234" else b"")
        sid = (await purchase(client, admin, body.replace(b"+", b"%2B"))).json()["sid"]
        responses = await asyncio.gather(*(
            client.delete(numbers_path(admin.sid, f"/{sid}.json"), auth=admin.auth) for _ in range(4)
        ))
        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 204 and all(s in (204, 404, 409) for s in statuses), [r.text for r in responses]
        assert await count_rows(sessionmaker, phone_number) == 0
    # the carrier's ledger agrees: the number can be bought again
    assert (await purchase(client, admin, b"PhoneNumber=%2B15105555555")).status_code == 200


@pytest.mark.parametrize("method", ["DELETE", "POST"])
async def test_a_number_released_while_another_request_holds_it(
    client, admin: Credentials, sessionmaker, monkeypatch, method: str
) -> None:
    """A release or update that loaded the number just before another request released it
    learns that it is gone (404); never a 500 from writing to a row that no longer exists."""
    sid = (await purchase(client, admin, b"PhoneNumber=%2B15105555555")).json()["sid"]
    loaded, resume = asyncio.Event(), asyncio.Event()
    original = numbers_service.require_number

    async def held_after_loading(*args, **kwargs):
        number = await original(*args, **kwargs)
        if not loaded.is_set():  # the first request stops here, holding what it read
            loaded.set()
            await resume.wait()
        return number

    monkeypatch.setattr(numbers_service, "require_number", held_after_loading)
    path = numbers_path(admin.sid, f"/{sid}.json")
    held = asyncio.create_task(client.request(method, path, data={"FriendlyName": "late"} if method == "POST" else None,
                                              auth=admin.auth))
    await asyncio.wait_for(loaded.wait(), 10)
    assert (await client.delete(path, auth=admin.auth)).status_code == 204
    resume.set()
    response = await asyncio.wait_for(held, 10)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == 20404
    assert await count_rows(sessionmaker, "+15105555555") == 0
    assert (await client.get(path, auth=admin.auth)).status_code == 404
