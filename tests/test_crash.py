"""A crash with a late carrier loses no number (issue 8, finding 4).

A real gateway process on SQLite or PostgreSQL buys from and releases to the fake VoIP
Innovations; the carrier answers too late and acts seconds later (fault "late"), or
never acts. With purchases and releases in flight the gateway is killed with SIGKILL,
restarted, and `gateway reconcile` is run until it exits 0: every number the carrier
bills is in the database and active, every active number is billed, nothing is left
unsettled, and a client retrying its purchase meanwhile is told "being confirmed".
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from typing import Iterator

import httpx
import pytest
from sqlmodel import col, select

from gateway.storage.database import Database
from gateway.storage.tables import IncomingPhoneNumber
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN, numbers_path
from tests.support.server import GatewayServer

pytestmark = pytest.mark.slow

AUTH = (ADMIN_SID, ADMIN_TOKEN)
RELEASED = [f"510555{n:04d}" for n in range(5000, 5010)]  # bought first, then released in flight
#: bought in flight: the carrier acts late on as many purchases as LATE has, never on NEVER's count
LATE = [f"510555{n:04d}" for n in range(5010, 5020)]
NEVER = [f"510555{n:04d}" for n in range(5020, 5023)]
#: seconds after the request at which the late carrier acts (the gateway waits 1 s)
ACTS_AFTER = 4.0


@pytest.fixture(scope="module")
def carrier() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations(hang_seconds=2.0) as fake:
        yield fake


def environment(database_url: str, carrier: FakeVoipInnovations) -> dict[str, str]:
    return {
        "GATEWAY_DATABASE_URL": database_url,
        "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
        "GATEWAY_PROVIDER": "voipinnovations",
        "GATEWAY_VOIPINNOVATIONS_URL": carrier.url,
        "GATEWAY_VOIPINNOVATIONS_LOGIN": carrier.login,
        "GATEWAY_VOIPINNOVATIONS_PASSWORD": carrier.password,
        "GATEWAY_VOIPINNOVATIONS_ENDPOINT_GROUP": carrier.endpoint_group,
        "GATEWAY_CARRIER_TIMEOUT": "1",
        "GATEWAY_CARRIER_LATE_WINDOW": "8",
        "GATEWAY_RECONCILE_INTERVAL": "0",  # this test runs the reconciler itself
    }


def reconcile(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gateway.cli", "reconcile", *args],
                          env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=120)


async def numbers_in_database(database_url: str) -> dict[str, str]:
    """National digits → status of every DID row."""
    database = Database.connect(database_url)
    try:
        async with database.session() as session:
            rows = await session.exec(select(IncomingPhoneNumber.phone_number, IncomingPhoneNumber.status)
                                      .where(col(IncomingPhoneNumber.is_sip).is_(False)))
            return {phone.removeprefix("+1"): status for phone, status in rows}
    finally:
        await database.dispose()


async def test_a_crash_with_a_late_carrier_loses_no_number(database_url: str, carrier: FakeVoipInnovations) -> None:
    carrier.reset()
    carrier.seed(*RELEASED, *LATE, *NEVER)
    env = environment(database_url, carrier)
    first = GatewayServer(env)
    try:
        async with httpx.AsyncClient(base_url=first.url, auth=AUTH, timeout=30) as client:
            bought = {}
            for tn in RELEASED:
                response = await client.post(numbers_path(ADMIN_SID, ".json"), data={"PhoneNumber": f"+1{tn}"})
                assert response.status_code == 200, response.text
                bought[tn] = response.json()["sid"]
            carrier.fail("assignDID", "late", times=len(LATE), seconds=ACTS_AFTER)
            carrier.fail("assignDID", "hang", times=len(NEVER), seconds=3)  # never acts
            carrier.fail("releaseDID", "late", times=len(RELEASED), seconds=ACTS_AFTER)
            in_flight = [
                *(client.post(numbers_path(ADMIN_SID, ".json"), data={"PhoneNumber": f"+1{tn}"}) for tn in LATE + NEVER),
                *(client.delete(numbers_path(ADMIN_SID, f"/{sid}.json")) for sid in bought.values()),
            ]
            requests = asyncio.gather(*in_flight, return_exceptions=True)
            deadline = time.monotonic() + 20
            while carrier.calls["assignDID"] < len(RELEASED) + len(LATE) + len(NEVER) or \
                    carrier.calls["releaseDID"] < len(RELEASED):
                assert time.monotonic() < deadline, dict(carrier.calls)
                await asyncio.sleep(0.02)
            first.kill()  # every state-changing call is at the carrier; none is answered
            await requests
    finally:
        first.stop()

    right_after = reconcile(env)
    assert right_after.returncode == 1, right_after.stdout  # unsettled numbers: not done
    assert "removed 0" in right_after.stdout, right_after.stdout  # the bug: "carrier does not own it", deleted

    second = GatewayServer(env)
    try:
        pending = [tn for tn, status in (await numbers_in_database(database_url)).items() if status == "pending"]
        retry = httpx.post(second.url + numbers_path(ADMIN_SID, ".json"), data={"PhoneNumber": f"+1{pending[0]}"},
                           auth=AUTH, timeout=30)
        assert retry.status_code == 503 and "being confirmed" in retry.json()["message"], retry.text
        assert int(retry.headers["retry-after"]) >= 1

        asked_early = reconcile(env, "--grace", "0")  # asks the carrier now, but never removes early
        assert "removed 0" in asked_early.stdout, asked_early.stdout

        deadline = time.monotonic() + 60
        while (result := reconcile(env, "--grace", "0")).returncode != 0:
            assert result.returncode == 1, result.stderr
            assert time.monotonic() < deadline, result.stdout
            await asyncio.sleep(1)

        ours = await numbers_in_database(database_url)
        assert set(ours.values()) <= {"active"}, ours  # nothing unsettled
        assert set(ours) == carrier.owned, (ours, carrier.owned)  # 0 orphans, 0 phantoms
        # Which purchases met the late carrier and which the one that never acts is the order
        # their calls arrived in: the late ones are ours now, the others are gone.
        assert len(carrier.owned) == len(LATE) and carrier.owned <= set(LATE + NEVER)
        listed = httpx.get(second.url + numbers_path(ADMIN_SID, ".json"), auth=AUTH, timeout=30).json()
        assert {n["phone_number"].removeprefix("+1") for n in listed["incomingPhoneNumbers"]} == carrier.owned
        assert "Traceback" not in second.output()
    finally:
        second.stop()
