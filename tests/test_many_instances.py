"""Two gateway processes (one of them with two workers) on one PostgreSQL, driven
concurrently: the result is what one process would give, with no duplicate number,
no lost update, and carrier and database in agreement."""

from __future__ import annotations

import asyncio
from collections import Counter

import asyncpg
import httpx
import pytest

from tests.support.server import gateway_process
from tests.support.totals import TRUE_COUNTS

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

ADMIN = "ACae6e420f425248d6a26948c17a9e2acf"
TOKEN = "77f8c12cc7b8f8423e5c38b035249166"
AUTH = (ADMIN, TOKEN)
NUMBERS = [f"+1510555{n:04d}" for n in range(2000, 2024)]


def path(account: str, suffix: str = "") -> str:
    return f"/2012-04-24/Accounts/{account}/IncomingPhoneNumbers{suffix}.json"


async def test_two_instances_behave_as_one(postgres_database: str) -> None:
    env = {"GATEWAY_DATABASE_URL": postgres_database, "GATEWAY_ADMIN_TOKEN": TOKEN}
    with gateway_process(env) as first, gateway_process(env, "--workers", "2") as second:
        async with httpx.AsyncClient(base_url=first, auth=AUTH, timeout=30) as a, \
                httpx.AsyncClient(base_url=second, auth=AUTH, timeout=30) as b:
            clients = (a, b)

            # Every number is bought through both instances at once: one wins. The loser (the
            # same account) hears that it has the number, or that its other purchase is still
            # being confirmed (503, retry): never a second number, never a 500.
            purchases = await asyncio.gather(*(
                client.post(path(ADMIN), data={"PhoneNumber": number})
                for number in NUMBERS for client in clients
            ))
            statuses = Counter(r.status_code for r in purchases)
            assert statuses[200] == len(NUMBERS) and statuses[400] + statuses[503] == len(NUMBERS), statuses
            assert {r.json()["code"] for r in purchases if r.status_code == 400} <= {21452}
            assert {r.json()["code"] for r in purchases if r.status_code == 503} <= {21453}
            sids = {r.json()["phone_number"]: r.json()["sid"] for r in purchases if r.status_code == 200}
            assert sorted(sids) == NUMBERS

            child = await a.post("/2012-04-24/Accounts.json", data={"EmailAddress": "child@example.com"})
            assert child.status_code == 201
            child_sid = child.json()["sid"]

            # Different fields of one number updated through different instances at once:
            # neither update is lost. Half the numbers also move to the child meanwhile.
            moved = NUMBERS[:8]
            updates = []
            for number, sid in sids.items():
                updates.append(a.post(path(ADMIN, f"/{sid}"), data={"VoiceUrl": f"https://a.example/{number}"}))
                updates.append(b.post(path(ADMIN, f"/{sid}"), data={"SmsUrl": f"https://b.example/{number}"}))
            results = await asyncio.gather(*updates)
            assert all(r.status_code == 200 for r in results), [r.text for r in results if r.status_code != 200]
            transfers = await asyncio.gather(*(
                clients[i % 2].post(path(ADMIN, f"/{sids[n]}"), data={"AccountSid": child_sid})
                for i, n in enumerate(moved)
            ))
            assert all(r.status_code == 200 and r.json()["account_sid"] == child_sid for r in transfers)

            # Each of these is released through both instances at once: one 204, and the
            # other learns the number is gone or going; never a 500.
            released = NUMBERS[8:16]
            releases = await asyncio.gather(*(
                client.delete(path(ADMIN, f"/{sids[n]}")) for n in released for client in clients
            ))
            per_number = [sorted(r.status_code for r in releases[i:i + 2]) for i in range(0, len(releases), 2)]
            assert all(pair[0] == 204 and pair[1] in (204, 404, 409) for pair in per_number), per_number
            assert not any(r.status_code >= 500 for r in releases)

            # Both instances now tell the same story.
            views = []
            for client in clients:
                mine = (await client.get(path(ADMIN), params={"PageSize": 100})).json()["incomingPhoneNumbers"]
                theirs = (await client.get(path(child_sid), params={"PageSize": 100})).json()["incomingPhoneNumbers"]
                views.append((mine, theirs))
            assert views[0] == views[1]
            mine, theirs = views[0]
            assert [n["phone_number"] for n in mine] == NUMBERS[16:]
            assert [n["phone_number"] for n in theirs] == moved
            for number in mine + theirs:
                assert number["voice_url"] == f"https://a.example/{number['phone_number']}"
                assert number["sms_url"] == f"https://b.example/{number['phone_number']}"

    connection = await asyncpg.connect(postgres_database)
    try:
        ours = sorted(r[0] for r in await connection.fetch("SELECT phone_number FROM incoming_phone_number"))
        carrier = sorted(r[0] for r in await connection.fetch("SELECT phone_number FROM sandbox_sold_number"))
        counted = {r[0]: r[1] for r in await connection.fetch(TRUE_COUNTS)}
        kept = {r[0]: r[1] for r in await connection.fetch("SELECT account_sid, total FROM account_number_total")}
    finally:
        await connection.close()
    assert ours == carrier == sorted(NUMBERS[:8] + NUMBERS[16:])
    assert {k: v for k, v in kept.items() if v} == counted  # the trigger-kept totals stayed true


async def test_a_change_of_status_or_credentials_on_one_instance_holds_on_the_other_at_once(
    postgres_database: str,
) -> None:
    env = {"GATEWAY_DATABASE_URL": postgres_database, "GATEWAY_ADMIN_TOKEN": TOKEN}
    with gateway_process(env) as first, gateway_process(env) as second:
        async with httpx.AsyncClient(base_url=first, auth=AUTH, timeout=30) as a, \
                httpx.AsyncClient(base_url=second, auth=AUTH, timeout=30) as b:
            created = (await a.post("/2012-04-24/Accounts.json",
                                    data={"EmailAddress": "ops@example.com", "Role": "Administrator"})).json()
            child, token = created["sid"], created["auth_token"]
            grandchild = (await a.post("/2012-04-24/Accounts.json", data={"EmailAddress": "gc@example.com"},
                                       auth=(child, token))).json()
            # Both instances have verified (and so remembered) the child's token.
            for client in (a, b):
                assert (await client.get(path(child), auth=(child, token))).status_code == 200
            assert (await a.post(f"/2012-04-24/Accounts/{child}.json", data={"Status": "suspended"})).status_code == 200
            refused = await b.get(path(child), auth=(child, token))
            assert refused.status_code == 403 and "suspended" in refused.json()["message"]
            below = await b.get(path(grandchild["sid"]), auth=(grandchild["sid"], grandchild["auth_token"]))
            assert below.status_code == 403 and child in below.json()["message"]
            assert (await b.post(f"/2012-04-24/Accounts/{child}.json", data={"Status": "active"})).status_code == 200
            assert (await a.get(path(child), auth=(child, token))).status_code == 200

            # A new password on A: the old token is refused on B at once, the new one works there.
            rotated = await a.post(f"/2012-04-24/Accounts/{child}.json", data={"Password": "rotated-on-a"},
                                   auth=(child, token))
            assert rotated.status_code == 200
            assert (await b.get(path(child), auth=(child, token))).status_code == 401
            assert (await b.get(path(child), auth=(child, rotated.json()["auth_token"]))).status_code == 200
            # A key revoked on B stops on A.
            key = (await a.post(f"/2012-04-24/Accounts/{child}/Keys.json")).json()
            assert (await a.get(path(child), auth=(key["sid"], key["secret"]))).status_code == 200
            assert (await b.delete(f"/2012-04-24/Accounts/{child}/Keys/{key['sid']}.json")).status_code == 204
            assert (await a.get(path(child), auth=(key["sid"], key["secret"]))).status_code == 401


async def test_access_tokens_end_on_every_instance_at_once(postgres_database: str) -> None:
    env = {"GATEWAY_DATABASE_URL": postgres_database, "GATEWAY_ADMIN_TOKEN": TOKEN}
    with gateway_process(env) as first, gateway_process(env) as second:
        async with httpx.AsyncClient(base_url=first, auth=AUTH, timeout=30) as a, \
                httpx.AsyncClient(base_url=second, auth=AUTH, timeout=30) as b:
            def bearer(token: str) -> dict[str, str]:
                return {"Authorization": f"Bearer {token}"}

            # Made on A, used on B; revoked on B, refused on A.
            made = (await a.post(f"/2012-04-24/Accounts/{ADMIN}/AccessTokens.json")).json()
            assert (await b.get(path(ADMIN), headers=bearer(made["token"]), auth=None)).status_code == 200
            revoked = await b.delete(f"/2012-04-24/Accounts/{ADMIN}/AccessTokens/{made['sid']}.json")
            assert revoked.status_code == 204
            assert (await a.get(path(ADMIN), headers=bearer(made["token"]), auth=None)).status_code == 401

            # A short one made on B expires on A: its second is up, with nothing else done.
            short = (await b.post(f"/2012-04-24/Accounts/{ADMIN}/AccessTokens.json", data={"Ttl": "1"})).json()
            assert (await a.get(path(ADMIN), headers=bearer(short["token"]), auth=None)).status_code == 200
            await asyncio.sleep(2.1)
            expired = await a.get(path(ADMIN), headers=bearer(short["token"]), auth=None)
            assert expired.status_code == 401
            assert expired.headers["www-authenticate"] == 'Bearer realm="Restcomm realm", error="invalid_token"'
