"""Number events over graphql-transport-ws, from a real server, with a real websocket client.

Every change a client can see is one event, after its transaction committed, to every
subscriber allowed to see it: a purchase refused by the carrier or left pending
publishes nothing until it settles; a subscriber of another organization hears none;
a subaccount's subscriber hears only its subtree.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import httpx
import pytest
import websockets
from sqlalchemy import update
from sqlmodel import col

from gateway.domain.ids import PHONE_NUMBER, new_sid
from gateway.domain.numbers import NumberStatus
from gateway.settings import Settings
from gateway.storage.database import Database
from gateway.storage.tables import IncomingPhoneNumber
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN
from tests.support.inprocess import served
from tests.support.subscriber import basic, subscribed

BASE = "/restcomm/2012-04-24"
ADMIN = basic(ADMIN_SID, ADMIN_TOKEN)


def numbers(account: str, suffix: str = "") -> str:
    return f"{BASE}/Accounts/{account}/IncomingPhoneNumbers{suffix}.json"


async def test_every_change_is_one_event_to_those_who_may_see_it(database_url: str) -> None:
    settings = Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0)
    with served(settings) as port:
        url = f"ws://127.0.0.1:{port}/graphql"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", auth=(ADMIN_SID, ADMIN_TOKEN),
                                     timeout=30) as http:
            async def buy(number: str, account: str = ADMIN_SID, **auth: object) -> httpx.Response:
                return await http.post(numbers(account), data={"PhoneNumber": number}, **auth)  # type: ignore[arg-type]

            canary = (await buy("+15105550100")).json()["sid"]
            child = (await http.post(f"{BASE}/Accounts.json", data={"EmailAddress": "child@example.com"})).json()
            outsider = (await http.post(f"{BASE}/Accounts.json", data={"EmailAddress": "out@example.com"})).json()
            # Another organization: a root account made at the CLI's level, through the service.
            org = await other_organization(database_url)
            org_canary = (await buy("+15105550190", org[0], auth=org)).json()["sid"]
            child_auth = (child["sid"], child["auth_token"])
            child_canary = (await buy("+15105550191", child["sid"], auth=child_auth)).json()["sid"]

            async def poke(sid: str, account: str, auth: tuple[str, str]) -> None:
                response = await http.post(numbers(account, f"/{sid}"), data={"FriendlyName": f"poke {id(auth)}"},
                                           auth=auth)
                assert response.status_code == 200

            async with subscribed(url, ADMIN) as everything, \
                    subscribed(url, ADMIN, types=["RELEASED"]) as releases, \
                    subscribed(url, basic(*child_auth)) as below, \
                    subscribed(url, basic(*org)) as elsewhere:
                for subscriber, (sid, account, auth) in (
                    (everything, (canary, ADMIN_SID, (ADMIN_SID, ADMIN_TOKEN))),
                    (below, (child_canary, child["sid"], child_auth)),
                    (elsewhere, (org_canary, org[0], org)),
                ):
                    await subscriber.live(lambda attempt, s=sid, a=account, c=auth: poke_and_name(poke, s, a, c))
                for subscriber in (everything, releases, below, elsewhere):  # pokes are not what we watch
                    subscriber.ignored |= {canary, child_canary, org_canary}

                refused = await buy("+15005550000")  # the sandbox's "not available": rolled back
                assert refused.status_code == 400
                unreachable = await buy("+15005550001")  # carrier unreachable, nothing sold: undone
                assert unreachable.status_code == 503

                first = (await buy("+15105550101")).json()
                event = await everything.next_event()
                assert (event["type"], event["number"]["sid"], event["accountSid"]) == ("PURCHASED", first["sid"],
                                                                                         ADMIN_SID)
                updated = await http.post(numbers(ADMIN_SID, f"/{first['sid']}"),
                                          data={"VoiceUrl": "https://example.com/voice"})
                assert updated.status_code == 200
                event = await everything.next_event()
                assert event["type"] == "UPDATED" and event["number"]["voice"]["url"] == "https://example.com/voice"

                moved = await http.post(numbers(ADMIN_SID, f"/{first['sid']}"), data={"AccountSid": child["sid"]})
                assert moved.status_code == 200
                event = await everything.next_event()
                assert (event["type"], event["accountSid"], event["previousAccountSid"]) == (
                    "TRANSFERRED", child["sid"], ADMIN_SID)
                assert event["number"]["account"]["sid"] == child["sid"]

                released = await http.delete(numbers(child["sid"], f"/{first['sid']}"))
                assert released.status_code == 204
                event = await everything.next_event()
                assert event["type"] == "RELEASED" and event["number"]["phoneNumber"] == "+15105550101"

                over_graphql = await http.post("/graphql", json={"query": 'mutation { purchaseNumber(input:'
                                               ' {phoneNumber: "+15105550102"}) { incomingPhoneNumber { sid } } }'})
                second = over_graphql.json()["data"]["purchaseNumber"]["incomingPhoneNumber"]["sid"]
                event = await everything.next_event()
                assert (event["type"], event["number"]["sid"]) == ("PURCHASED", second)

                # A purchase whose outcome is unknown waits as a pending row, which is no news;
                # when it settles (the reconciler activates it) it is.
                await reserve_then_settle(database_url, second, "+15105550103")
                event = await everything.next_event()
                assert event["type"] == "PURCHASED" and event["number"]["phoneNumber"] == "+15105550103"

                # The filtered subscriber heard only the release.
                event = await releases.next_event()
                assert (event["type"], event["number"]["sid"]) == ("RELEASED", first["sid"])
                # The subaccount heard the number arrive in its tree and leave it, nothing else.
                assert [(e["type"], e["number"]["sid"]) for e in [await below.next_event(), await below.next_event()]] \
                    == [("TRANSFERRED", first["sid"]), ("RELEASED", first["sid"])]
                # The other organization heard nothing of it: its first event is its own.
                mine = (await buy("+15105550192", org[0], auth=org)).json()["sid"]
                event = await elsewhere.next_event()
                assert (event["type"], event["number"]["sid"]) == ("PURCHASED", mine)
                assert outsider["sid"]  # (an account of the admin's tree with no numbers: no events)


async def poke_and_name(poke, sid: str, account: str, auth: tuple[str, str]) -> str:  # type: ignore[no-untyped-def]
    await poke(sid, account, auth)
    return sid


async def other_organization(database_url: str) -> tuple[str, str]:
    from gateway.services.accounts import create_account

    database = Database.connect(database_url)
    try:
        created = await create_account(db=database, email="org2@example.com", parent=None, role="Administrator")
    finally:
        await database.dispose()
    return created.account.sid, created.auth_token


async def reserve_then_settle(database_url: str, like_sid: str, phone_number: str) -> None:
    """A pending reservation (as a purchase whose carrier answer never came leaves), then
    its activation (as the reconciler does), each in a transaction of its own."""
    database = Database.connect(database_url)
    try:
        async with database.session() as session:
            like = await session.get(IncomingPhoneNumber, like_sid)
            assert like is not None
            values = {**like.model_dump(), "sid": new_sid(PHONE_NUMBER), "phone_number": phone_number,
                      "status": NumberStatus.PENDING.value}
            session.add(IncomingPhoneNumber(**values))
            await session.commit()
        async with database.session() as session:
            await session.exec(update(IncomingPhoneNumber).where(col(IncomingPhoneNumber.phone_number) == phone_number)
                               .values(status=NumberStatus.ACTIVE.value))
            await session.commit()
    finally:
        await database.dispose()


@pytest.mark.one_database
async def test_sockets_need_credentials_and_an_allowed_origin(database_url: str) -> None:
    settings = Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0,
                        cors_origins=frozenset({"http://127.0.0.1:9201"}))
    with served(settings) as port:
        url = f"ws://127.0.0.1:{port}/graphql"
        for authorization in (None, basic(ADMIN_SID, "0" * 32), "Bearer ATnothing.none"):
            with pytest.raises(websockets.ConnectionClosed) as closed:
                async with subscribed(url, authorization) as subscriber:
                    await subscriber.next_event(timeout=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with subscribed(url, ADMIN, origin="http://evil.example"):
                pass
        assert refused.value.response.status_code == 403
        # An allowed page, an access token in connection_init, or the upgrade's own header: in.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            token = (await http.post(f"{BASE}/Accounts/{ADMIN_SID}/AccessTokens.json",
                                     auth=(ADMIN_SID, ADMIN_TOKEN))).json()["token"]
        for kwargs in ({"authorization": f"Bearer {token}", "origin": "http://127.0.0.1:9201"},
                       {"authorization": None, "header": ADMIN}):
            async with subscribed(url, **kwargs) as subscriber:  # type: ignore[arg-type]
                assert subscriber.socket.subprotocol == "graphql-transport-ws"
        await asyncio.sleep(0)


@pytest.mark.slow
async def test_events_reach_subscribers_of_another_instance_once_and_in_order(postgres_database: str) -> None:
    from tests.support.server import gateway_process

    env = {"GATEWAY_DATABASE_URL": postgres_database, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
           "GATEWAY_RECONCILE_INTERVAL": "0"}
    with gateway_process(env) as first, gateway_process(env) as second:
        async with httpx.AsyncClient(base_url=second, auth=(ADMIN_SID, ADMIN_TOKEN), timeout=30) as b:
            canary = (await b.post(numbers(ADMIN_SID), data={"PhoneNumber": "+15105550300"})).json()["sid"]

            async def poke(attempt: int) -> str:
                await b.post(numbers(ADMIN_SID, f"/{canary}"), data={"FriendlyName": f"poke {attempt}"})
                return str(canary)

            async with subscribed(first.replace("http", "ws") + "/graphql", ADMIN) as subscriber:
                await subscriber.live(poke)
                # Ten numbers through B, each bought, changed twice and released, all at once.
                phone_numbers = [f"+1510555{n:04d}" for n in range(310, 320)]

                async def life(number: str) -> None:
                    sid = (await b.post(numbers(ADMIN_SID), data={"PhoneNumber": number})).json()["sid"]
                    for url in ("https://example.com/1", "https://example.com/2"):
                        assert (await b.post(numbers(ADMIN_SID, f"/{sid}"), data={"VoiceUrl": url})).status_code == 200
                    assert (await b.delete(numbers(ADMIN_SID, f"/{sid}"))).status_code == 204

                await asyncio.gather(*(life(number) for number in phone_numbers))
                heard: dict[str, list[str]] = {}
                for _ in range(len(phone_numbers) * 4):
                    event = await subscriber.next_event()
                    heard.setdefault(event["number"]["phoneNumber"], []).append(
                        f"{event['type']} {event['number']['voice']['url']}")
                expected = ["PURCHASED None", "UPDATED https://example.com/1", "UPDATED https://example.com/2",
                            "RELEASED https://example.com/2"]
                assert heard == {number: expected for number in phone_numbers}

                # And through B's GraphQL: a purchase, then a transfer to a subaccount.
                child = (await b.post(f"{BASE}/Accounts.json", data={"EmailAddress": "kid@example.com"})).json()
                bought = await b.post("/graphql", json={"query": 'mutation { purchaseNumber(input: {phoneNumber:'
                                                        ' "+15105550330"}) { incomingPhoneNumber { sid } } }'})
                sid = bought.json()["data"]["purchaseNumber"]["incomingPhoneNumber"]["sid"]
                moved = await b.post("/graphql", json={
                    "query": "mutation($sid: ID!, $to: ID!) { transferNumber(input: {sid: $sid, toAccountSid: $to})"
                             " { userErrors { message } } }", "variables": {"sid": sid, "to": child["sid"]}})
                assert moved.json()["data"]["transferNumber"]["userErrors"] == []
                events = [await subscriber.next_event(), await subscriber.next_event()]
                assert [(e["type"], e["number"]["sid"], e["accountSid"]) for e in events] == [
                    ("PURCHASED", sid, ADMIN_SID), ("TRANSFERRED", sid, child["sid"])]
                # Closing the subaccount releases its number: heard as any release.
                closed = await b.post(f"{BASE}/Accounts/{child['sid']}.json", data={"Status": "closed"})
                assert closed.status_code == 200
                event = await subscriber.next_event()
                assert (event["type"], event["number"]["sid"], event["accountSid"]) == ("RELEASED", sid, child["sid"])


@pytest.mark.one_database
async def test_subscribe_messages_pass_the_http_checks_and_trusted_documents(
    database_url: str, tmp_path: Path
) -> None:
    trusted = "subscription Mine { numberEvents { type number { sid } } }"
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({f"sha256:{hashlib.sha256(trusted.encode()).hexdigest()}": trusted}))
    settings = Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0,
                        graphql_documents=str(manifest))
    with served(settings) as port:
        async with websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": ADMIN}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"

            async def answer(payload: dict[str, object], operation: str) -> dict[str, object]:
                await ws.send(json.dumps({"id": operation, "type": "subscribe", "payload": payload}))
                message: dict[str, object] = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert message["id"] == operation
                return message

            adhoc = await answer({"query": "subscription { numberEvents { type } }"}, "1")
            assert adhoc["type"] == "error" and "only trusted documents" in json.dumps(adhoc["payload"])
            control = await answer({"query": "subscription { numberEvents { type } }\x00"}, "2")
            assert control["type"] == "error"
            unknown = await answer({"query": "", "documentId": "sha256:" + "0" * 64}, "3")
            assert unknown["type"] == "error" and "PERSISTED_QUERY_NOT_FOUND" in json.dumps(unknown["payload"])
            # The trusted one, by id: accepted (nothing to hear yet, so no answer but no error).
            await ws.send(json.dumps({"id": "4", "type": "subscribe", "payload": {
                "query": "", "documentId": f"sha256:{hashlib.sha256(trusted.encode()).hexdigest()}"}}))
            await ws.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "pong"
