"""Hundreds of purchases and releases through REST against a fake VoIP Innovations
that fails on purpose: afterwards (and after reconcile) the carrier's idea of what we
own and the gateway's database agree exactly, nothing was bought twice, and every
client got success or a clear, retryable error. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Iterator

import httpx
import pytest
from sqlmodel import select

from gateway.observability.carrier import InstrumentedProvider
from gateway.providers.http import HttpOptions
from gateway.providers.voipinnovations import VoipInnovationsProvider
from gateway.services.reconcile import reconcile
from gateway.storage.tables import IncomingPhoneNumber
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.support.accounts import Credentials, numbers_path
from tests.support.totals import assert_totals_match

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

POOL = [f"510555{n:04d}" for n in range(3000, 3040)]
OPERATIONS = 240
FAULT_RATE = 0.35
#: (carrier operation, fault kind, act first?)
PURCHASE_FAULTS = [
    ("queryDID", "error", False), ("queryDID", "hang", False), ("queryDID", "malformed", False),
    ("assignDID", "error", False), ("assignDID", "hang", False), ("assignDID", "hang", True),
    ("assignDID", "drop", False), ("assignDID", "drop", True), ("assignDID", "malformed", True),
    ("assignDID", "refuse", False),
]
RELEASE_FAULTS = [
    ("queryDID", "error", False), ("releaseDID", "error", False), ("releaseDID", "hang", False),
    ("releaseDID", "hang", True), ("releaseDID", "drop", True), ("releaseDID", "malformed", True),
]
OPTIONS = HttpOptions(connect_timeout=0.5, read_timeout=0.2, write_timeout=0.5, pool_timeout=0.5,
                      retries=1, backoff=0.01, retry_budget=0.5)


@pytest.fixture(scope="module")
def carrier() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations(hang_seconds=0.6) as fake:
        yield fake


@pytest.fixture
def fake(carrier: FakeVoipInnovations, app) -> FakeVoipInnovations:  # type: ignore[no-untyped-def]
    carrier.reset()
    carrier.seed(*POOL)
    app.state.provider = InstrumentedProvider(VoipInnovationsProvider(
        carrier.url, carrier.login, carrier.password, carrier.endpoint_group, options=OPTIONS,
    ))
    return carrier


@dataclass
class Tally:
    faults: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    unclear: list[str] = field(default_factory=list)

    def record(self, response: httpx.Response) -> None:
        body = response.json() if response.content else {}
        code = body.get("code")
        self.answers[f"{response.status_code} {code or ''}".strip()] += 1
        if response.status_code in (200, 204):
            return
        clear = bool(body.get("message")) and (
            (response.status_code == 400 and code == 21452)
            or (response.status_code == 503 and code == 21453 and bool(response.headers.get("retry-after")))
            or (response.status_code == 409 and code == 20409)
            or (response.status_code == 404 and code == 20404)
        )
        if not clear:
            self.unclear.append(f"{response.status_code} {response.text[:200]}")


async def our_numbers(sessionmaker, statuses=None) -> set[str]:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        rows = await session.exec(select(IncomingPhoneNumber))
        return {r.phone_number.removeprefix("+1") for r in rows if statuses is None or r.status in statuses}


async def test_carrier_and_database_agree_after_faults(
    app, client, fake, admin: Credentials, make_account, sessionmaker
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20261127)
    other = await make_account(None)  # a second organization buys from the same pool
    buyers = (admin, other)
    tally = Tally()
    bought: dict[str, tuple[Credentials, str]] = {}  # number -> (owner, sid)

    def maybe_fault(choices: list[tuple[str, str, bool]]) -> None:
        if rng.random() < FAULT_RATE:
            operation, kind, act = rng.choice(choices)
            fake.fail(operation, kind, act=act)
            tally.faults[f"{operation} {kind}{' after acting' if act else ''}"] += 1

    for step in range(OPERATIONS):
        if bought and rng.random() < 0.4:
            number = rng.choice(sorted(bought))
            owner, sid = bought[number]
            maybe_fault(RELEASE_FAULTS)
            response = await client.delete(numbers_path(owner.sid, f"/{sid}.json"), auth=owner.auth)
            tally.record(response)
            if response.status_code in (204, 404):
                del bought[number]
        else:
            buyer = rng.choice(buyers)
            number = rng.choice(POOL)
            maybe_fault(PURCHASE_FAULTS)
            key = f"op-{step}"
            for _attempt in range(2):  # a client retries a retryable answer once, with its key
                response = await client.post(
                    numbers_path(buyer.sid, ".json"), data={"PhoneNumber": f"+1{number}"}, auth=buyer.auth,
                    headers={"Idempotency-Key": key},
                )
                tally.record(response)
                if response.status_code != 503:
                    break
            if response.status_code == 200:
                assert number not in bought, f"+1{number} sold twice"
                bought[number] = (buyer, response.json()["sid"])
        fake.clear_faults()  # a fault meant for a call this operation never made must not hit the next

    carrier_before = fake.owned
    ours_before = await our_numbers(sessionmaker)
    visible_before = await our_numbers(sessionmaker, statuses=("active",))
    mismatches_before = len(carrier_before ^ visible_before)

    await asyncio.sleep(0.7)  # let every hung carrier call finish acting
    # The fake's hangs are over: it can no longer act, so no late window is left to wait for.
    report = await reconcile(db=app.state.database, provider=app.state.provider, late_window=timedelta(0))
    carrier_after = fake.owned
    ours_after = await our_numbers(sessionmaker)
    print(
        f"\nfault injection: {OPERATIONS} operations, {sum(tally.faults.values())} faults injected "
        f"({dict(tally.faults)}), answers {dict(tally.answers)}; mismatches before reconcile "
        f"{mismatches_before} (unsettled rows {len(ours_before - visible_before)}), reconcile settled "
        f"{report.settled} ({len(report.activated)} activated, {len(report.removed)} removed, "
        f"{len(report.released)} released), mismatches after {len(carrier_after ^ ours_after)}"
    )
    assert not tally.unclear, tally.unclear
    assert sum(tally.faults.values()) >= OPERATIONS * FAULT_RATE * 0.7
    assert report.left == []
    assert carrier_after == ours_after
    assert await our_numbers(sessionmaker, statuses=("pending", "releasing")) == set()
    await assert_totals_match(sessionmaker)
    # the reconciled state is what the clients see: every number we own is listed exactly once
    listed: list[str] = []
    for buyer in buyers:
        page = (await client.get(numbers_path(buyer.sid, ".json"), params={"PageSize": 100}, auth=buyer.auth)).json()
        listed += [n["phone_number"].removeprefix("+1") for n in page["incomingPhoneNumbers"]]
    assert sorted(listed) == sorted(carrier_after)


async def test_concurrent_purchases_of_one_number_through_the_carrier(client, fake, admin: Credentials, make_account) -> None:
    others = [await make_account(None) for _ in range(4)]
    responses = await asyncio.gather(*(
        client.post(numbers_path(who.sid, ".json"), data={"PhoneNumber": f"+1{POOL[0]}"}, auth=who.auth)
        for who in (admin, *others)
    ))
    assert sorted(r.status_code for r in responses) == [200, 400, 400, 400, 400]
    assert fake.owned == {POOL[0]}
    assert len(fake.requests_of("assignDID")) == 1
