"""The reconciler settles numbers the carrier left unconfirmed (sandbox carrier here;
the fault-injection test does it against a fake carrier over HTTP)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta

from gateway.app import create_app
from gateway.providers.sandbox import MAGIC_RELEASE_FAILS, SandboxProvider
from gateway.services.reconcile import reconcile
from gateway.settings import Settings
from gateway.storage.tables import IncomingPhoneNumber, SandboxSoldNumber, utcnow
from tests.conftest import ADMIN_SID, ADMIN_TOKEN

LONG_AGO = timedelta(minutes=10)


async def leave(sessionmaker, phone_number: str, status: str, *, carrier_has_it: bool, age: timedelta = LONG_AGO) -> str:  # type: ignore[no-untyped-def]
    sid = "PN" + phone_number[-10:].rjust(32, "0")
    async with sessionmaker() as session:
        session.add(IncomingPhoneNumber(
            sid=sid, account_sid=ADMIN_SID, organization_sid=ADMIN_SID, phone_number=phone_number,
            friendly_name=phone_number, number_type="local", status=status, date_updated=utcnow() - age,
        ))
        if carrier_has_it:
            session.add(SandboxSoldNumber(phone_number=phone_number))
        await session.commit()
    return sid


async def state(sessionmaker, sid: str) -> tuple[str | None, bool]:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        number = await session.get(IncomingPhoneNumber, sid)
        status = number.status if number else None
        sold = await session.get(SandboxSoldNumber, "+1" + sid[-10:]) is not None
    return status, sold


async def test_every_unsettled_case(app, sessionmaker) -> None:
    bought = await leave(sessionmaker, "+15105550101", "pending", carrier_has_it=True)
    not_bought = await leave(sessionmaker, "+15105550102", "pending", carrier_has_it=False)
    still_held = await leave(sessionmaker, "+15105550103", "releasing", carrier_has_it=True)
    released = await leave(sessionmaker, "+15105550104", "releasing", carrier_has_it=False)
    in_flight = await leave(sessionmaker, "+15105550105", "pending", carrier_has_it=False, age=timedelta(0))

    report = await reconcile(sessionmaker=sessionmaker, provider=SandboxProvider(sessionmaker))

    assert sorted(report.activated) == ["+15105550101"]
    assert sorted(report.removed) == ["+15105550102"]
    assert sorted(report.released) == ["+15105550103", "+15105550104"]
    assert await state(sessionmaker, bought) == ("active", True)
    assert await state(sessionmaker, not_bought) == (None, False)
    assert await state(sessionmaker, still_held) == (None, False)  # cancelled at the carrier, then dropped
    assert await state(sessionmaker, released) == (None, False)
    assert await state(sessionmaker, in_flight) == ("pending", False)  # younger than the grace period
    assert (await reconcile(sessionmaker=sessionmaker, provider=SandboxProvider(sessionmaker))).settled == 0


async def test_a_carrier_that_cannot_answer_leaves_the_number_for_next_time(app, sessionmaker) -> None:
    sid = "PN" + MAGIC_RELEASE_FAILS[-10:].rjust(32, "0")
    await leave(sessionmaker, MAGIC_RELEASE_FAILS, "releasing", carrier_has_it=True)
    report = await reconcile(sessionmaker=sessionmaker, provider=SandboxProvider(sessionmaker))
    assert report.unsettled == [MAGIC_RELEASE_FAILS] and report.settled == 0
    async with sessionmaker() as session:
        assert (await session.get(IncomingPhoneNumber, sid)).status == "releasing"  # type: ignore[union-attr]


async def test_the_server_reconciles_periodically(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0.1))
    async with app.router.lifespan_context(app):
        sessionmaker = app.state.sessionmaker
        sid = await leave(sessionmaker, "+15105550106", "pending", carrier_has_it=True)
        for _ in range(100):
            if (await state(sessionmaker, sid))[0] == "active":
                break
            await asyncio.sleep(0.05)
        assert await state(sessionmaker, sid) == ("active", True)


async def test_gateway_reconcile_command(app, sessionmaker, settings: Settings) -> None:
    await leave(sessionmaker, "+15105550107", "pending", carrier_has_it=True)
    await leave(sessionmaker, MAGIC_RELEASE_FAILS, "releasing", carrier_has_it=True)
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "reconcile", "--grace", "0"], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "GATEWAY_DATABASE_URL": settings.database_url},
    )
    assert result.returncode == 1, result.stderr  # one number is still unknown
    assert "activated 1, removed 0, released 0, still unknown 1" in result.stdout
    assert f"still unknown: {MAGIC_RELEASE_FAILS}" in result.stdout


class SlowCountingCarrier(SandboxProvider):
    """The sandbox, answering `owns` slowly and counting who asked about what."""

    def __init__(self, sessionmaker) -> None:  # type: ignore[no-untyped-def]
        super().__init__(sessionmaker)
        self.asked: list[str] = []

    async def owns(self, phone_number: str) -> bool | None:
        self.asked.append(phone_number)
        await asyncio.sleep(0.01)
        return await super().owns(phone_number)


async def test_concurrent_reconcilers_never_settle_the_same_number(postgres_database: str) -> None:
    """Instances reconcile at once on PostgreSQL: SKIP LOCKED gives each row to one of them."""
    app = create_app(Settings(database_url=postgres_database, admin_token=ADMIN_TOKEN, reconcile_interval=0))
    async with app.router.lifespan_context(app):
        sessionmaker = app.state.sessionmaker
        numbers = [f"+1510555{n:04d}" for n in range(4000, 4030)]
        for number in numbers:
            await leave(sessionmaker, number, "pending", carrier_has_it=True)
        carriers = [SlowCountingCarrier(sessionmaker) for _ in range(3)]
        reports = await asyncio.gather(*(reconcile(sessionmaker=sessionmaker, provider=c) for c in carriers))
    activated = [n for report in reports for n in report.activated]
    assert sorted(activated) == numbers  # every number settled, none twice
    assert sorted(n for c in carriers for n in c.asked) == numbers  # the carrier was asked once per number
    assert sum(1 for c in carriers if c.asked) >= 2  # and the work really was shared
