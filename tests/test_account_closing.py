"""Closing an account against the fake VoIP Innovations carrier (a real HTTP server on
127.0.0.1): every number of the account and its descendants is released at the carrier;
one whose release fails stays, still listed in the closed account, and the reconciler
finishes it; numbers bought into the account while it closed are released too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from gateway.providers.http import HttpOptions
from gateway.providers.voipinnovations import VoipInnovationsProvider
from gateway.services.reconcile import reconcile
from gateway.storage.tables import Account, IncomingPhoneNumber
from tests.fakes.voipinnovations import FakeVoipInnovations
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import account_path, buy

NUMBERS = ["4155550101", "4155550102", "4155550103", "4155550104"]
OPTIONS = HttpOptions(connect_timeout=0.5, read_timeout=0.4, write_timeout=0.5, pool_timeout=0.5, retries=1,
                      backoff=0.01)


@pytest.fixture(scope="module")
def carrier() -> Iterator[FakeVoipInnovations]:
    with FakeVoipInnovations(hang_seconds=1.0) as fake:
        yield fake


@pytest.fixture
def fake(carrier: FakeVoipInnovations, app) -> FakeVoipInnovations:  # type: ignore[no-untyped-def]
    carrier.reset()
    carrier.seed(*NUMBERS)
    app.state.provider = VoipInnovationsProvider(
        carrier.url, carrier.login, carrier.password, carrier.endpoint_group, options=OPTIONS
    )
    return carrier


async def listed(client, admin: Credentials, account_sid: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = await client.get(numbers_path(account_sid, ".json"), auth=admin.auth)
    assert response.status_code == 200, response.text
    return [n["phone_number"] for n in response.json()["incomingPhoneNumbers"]]


async def test_closing_releases_the_subtree_and_the_reconciler_finishes_what_failed(
    app, client, fake: FakeVoipInnovations, admin: Credentials, make_account, sessionmaker
) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    for who, tn in zip((child, child, grandchild), NUMBERS, strict=False):
        await buy(client, admin, "+1" + tn, account_sid=who.sid)
    await buy(client, admin, "bob", account_sid=grandchild.sid, isSIP="true")
    assert fake.owned == set(NUMBERS[:3])

    fake.fail("releaseDID", "error")  # the carrier answers 503 to the first release it is asked
    response = await client.post(account_path(child.sid, ".json"), data={"Status": "closed"}, auth=admin.auth)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "closed"
    # Two released at the carrier; the one that failed is kept, listed where it was.
    assert len(fake.owned) == 1
    [kept] = ["+1" + tn for tn in fake.owned]
    left = await listed(client, admin, child.sid) + await listed(client, admin, grandchild.sid)
    assert left == [kept]
    async with sessionmaker() as session:
        rows = (await session.exec(select(IncomingPhoneNumber))).all()
    assert [(r.phone_number, r.status) for r in rows] == [(kept, "releasing")]  # bob, a SIP number, is gone

    # The reconciler (any instance, at its next round) cancels it again and deletes it.
    report = await reconcile(db=app.state.database, provider=app.state.provider)
    assert report.released == [kept] and report.left == []
    assert fake.owned == set()
    assert await listed(client, admin, child.sid) == [] and await listed(client, admin, grandchild.sid) == []


async def test_a_number_still_active_under_a_closed_account_is_released_by_the_reconciler(
    app, client, fake: FakeVoipInnovations, admin: Credentials, make_account, sessionmaker
) -> None:
    child = await make_account(admin)
    await buy(client, admin, "+1" + NUMBERS[0], account_sid=child.sid)
    # As if a purchase had settled just after the account closed: closed, its number active.
    async with sessionmaker() as session:
        row = await session.get(Account, child.sid)
        assert row is not None
        row.status = "closed"
        session.add(row)
        await session.commit()
    report = await reconcile(db=app.state.database, provider=app.state.provider)
    assert report.released == ["+1" + NUMBERS[0]]
    assert fake.owned == set()


async def test_the_cli_prints_what_closing_released_and_what_is_left(
    app, client, fake: FakeVoipInnovations, admin: Credentials, make_account, settings, capsys, monkeypatch
) -> None:
    from gateway import cli

    child = await make_account(admin)
    await buy(client, admin, "+1" + NUMBERS[0], account_sid=child.sid)
    await buy(client, admin, "+1" + NUMBERS[1], account_sid=child.sid)
    monkeypatch.setattr("gateway.assembly.build_provider", lambda *_: VoipInnovationsProvider(
        fake.url, fake.login, fake.password, fake.endpoint_group, options=OPTIONS))
    fake.fail("releaseDID", "error")
    status = await cli._update_account(settings, _args(sid=child.sid, status="closed", friendly_name=None))
    out = capsys.readouterr().out
    assert status == 1  # something is left
    assert f"{child.sid}: closed" in out and "numbers released: 1; left: 1" in out
    assert "left: +1415555010" in out and "gateway reconcile" in out
    # The bootstrap account is never suspended or closed, even by the operator.
    assert await cli._update_account(settings, _args(sid=admin.sid, status="suspended", friendly_name=None)) == 1
    assert "bootstrap" in capsys.readouterr().err


def _args(**values: object):  # type: ignore[no-untyped-def]
    import argparse

    return argparse.Namespace(**values)
