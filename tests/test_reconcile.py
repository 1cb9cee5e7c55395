"""The reconciler's state machine (services.reconcile), row by row, on the sandbox
carrier; the fault-injection and crash tests do it against fake carriers over HTTP."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import datetime, timedelta

from gateway.app import create_app
from gateway.observability.metrics import record_reconciliation
from gateway.providers.sandbox import MAGIC_RELEASE_FAILS, MemoryLedger, SandboxProvider
from gateway.services.reconcile import reconcile
from gateway.settings import Settings
from gateway.storage.tables import IncomingPhoneNumber, SandboxSoldNumber, utcnow
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN

LONG_AGO = timedelta(minutes=30)
WINDOW = timedelta(minutes=15)


async def leave(  # type: ignore[no-untyped-def]
    sessionmaker, phone_number: str, status: str, *, carrier_has_it: bool, due: datetime | None = None,
) -> str:
    """An unsettled row whose carrier outcome was due at `due` (default: long ago, past its window)."""
    sid = "PN" + phone_number[-10:].rjust(32, "0")
    async with sessionmaker() as session:
        session.add(IncomingPhoneNumber(
            sid=sid, account_sid=ADMIN_SID, organization_sid=ADMIN_SID, phone_number=phone_number,
            friendly_name=phone_number, number_type="local", status=status,
            outcome_due_at=due or utcnow() - LONG_AGO, date_updated=utcnow() - LONG_AGO,
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
    in_flight = await leave(sessionmaker, "+15105550105", "pending", carrier_has_it=False,
                            due=utcnow() + timedelta(minutes=1))
    late = await leave(sessionmaker, "+15105550108", "pending", carrier_has_it=False, due=utcnow())

    report = await reconcile(db=app.state.database, provider=app.state.provider, late_window=WINDOW)

    assert sorted(report.activated) == ["+15105550101"]
    assert sorted(report.removed) == ["+15105550102"]
    assert sorted(report.released) == ["+15105550103", "+15105550104"]
    assert await state(sessionmaker, bought) == ("active", True)
    assert await state(sessionmaker, not_bought) == (None, False)
    assert await state(sessionmaker, still_held) == (None, False)  # cancelled at the carrier, then dropped
    assert await state(sessionmaker, released) == (None, False)
    left = {entry.phone_number: entry.reason for entry in report.left}
    assert left["+15105550105"].startswith("in flight until")  # its request may still be waiting
    assert left["+15105550108"].startswith("waiting for the carrier until")  # the carrier may still act
    assert await state(sessionmaker, in_flight) == ("pending", False)
    assert await state(sessionmaker, late) == ("pending", False)
    again = await reconcile(db=app.state.database, provider=app.state.provider, late_window=WINDOW)
    assert again.settled == 0 and len(again.left) == 2 and not again.clean


async def test_a_late_carrier_that_acts_within_the_window_gets_its_number_activated(app, sessionmaker) -> None:
    sid = await leave(sessionmaker, "+15105550109", "pending", carrier_has_it=False, due=utcnow())
    first = await reconcile(db=app.state.database, provider=app.state.provider, late_window=WINDOW)
    assert [left.phone_number for left in first.left] == ["+15105550109"]
    async with sessionmaker() as session:  # the carrier acts late: it sells the number now
        session.add(SandboxSoldNumber(phone_number="+15105550109"))
        await session.commit()
    second = await reconcile(db=app.state.database, provider=app.state.provider, late_window=WINDOW)
    assert second.activated == ["+15105550109"] and second.clean
    async with sessionmaker() as session:
        number = await session.get(IncomingPhoneNumber, sid)
    assert number is not None and number.status == "active" and number.account_sid == ADMIN_SID
    assert number.outcome_due_at is None and number.reconciling_until is None


async def test_grace_asks_early_but_never_removes_early(app, sessionmaker) -> None:
    soon = utcnow() + timedelta(minutes=1)
    owned = await leave(sessionmaker, "+15105550110", "pending", carrier_has_it=True, due=soon)
    not_owned = await leave(sessionmaker, "+15105550111", "pending", carrier_has_it=False, due=soon)
    report = await reconcile(db=app.state.database, provider=app.state.provider, late_window=WINDOW,
                             grace=timedelta(0))
    assert report.activated == ["+15105550110"] and report.removed == []
    assert await state(sessionmaker, owned) == ("active", True)
    assert await state(sessionmaker, not_owned) == ("pending", False)


async def test_a_carrier_that_cannot_answer_leaves_the_number_for_next_time(app, sessionmaker) -> None:
    sid = "PN" + MAGIC_RELEASE_FAILS[-10:].rjust(32, "0")
    await leave(sessionmaker, MAGIC_RELEASE_FAILS, "releasing", carrier_has_it=True)
    report = await reconcile(db=app.state.database, provider=app.state.provider)
    assert [(left.phone_number, left.reason.split(":")[0]) for left in report.left] == [
        (MAGIC_RELEASE_FAILS, "carrier unreachable")
    ]
    assert report.settled == 0
    async with sessionmaker() as session:
        number = await session.get(IncomingPhoneNumber, sid)
    assert number is not None and number.status == "releasing" and number.reconciling_until is None


async def test_the_sweep_reports_what_the_carrier_bills_and_we_do_not_know(app, client, admin, sessionmaker) -> None:
    bought = await client.post(f"/2012-04-24/Accounts/{admin.sid}/IncomingPhoneNumbers.json",
                               data={"PhoneNumber": "+15105550112"}, auth=admin.auth)
    assert bought.status_code == 200
    async with sessionmaker() as session:
        session.add(SandboxSoldNumber(phone_number="+15105550113"))  # billed, but not ours
        await session.commit()
    report = await reconcile(db=app.state.database, provider=app.state.provider, sweep=True)
    assert report.sweep is not None
    assert report.sweep.unknown_here == ["+15105550113"] and report.sweep.not_billed == []
    assert not report.clean
    async with sessionmaker() as session:  # nothing was released on its own
        assert await session.get(SandboxSoldNumber, "+15105550113") is not None
    record_reconciliation(report)  # what the server's periodic round does with its report
    metrics = (await client.get("/metrics")).text
    assert 'gateway_carrier_mismatched_numbers{kind="unknown_here"} 1.0' in metrics
    assert 'gateway_carrier_mismatched_numbers{kind="not_billed"} 0.0' in metrics


async def test_the_server_reconciles_periodically(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0.1))
    async with app.router.lifespan_context(app):
        sessionmaker = app.state.database.session
        sid = await leave(sessionmaker, "+15105550106", "pending", carrier_has_it=True)
        for _ in range(100):
            if (await state(sessionmaker, sid))[0] == "active":
                break
            await asyncio.sleep(0.05)
        assert await state(sessionmaker, sid) == ("active", True)


async def test_gateway_reconcile_command(app, sessionmaker, settings: Settings) -> None:
    await leave(sessionmaker, "+15105550107", "pending", carrier_has_it=True)
    await leave(sessionmaker, MAGIC_RELEASE_FAILS, "releasing", carrier_has_it=True)
    command = [sys.executable, "-m", "gateway.cli", "reconcile"]
    env = {"PATH": "/usr/bin:/bin", "GATEWAY_DATABASE_URL": settings.database_url}
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1, result.stderr  # one number is still unsettled
    assert "settled 1: activated 1, removed 0, released 0; left 1" in result.stdout
    assert f"left: {MAGIC_RELEASE_FAILS} (releasing): carrier unreachable" in result.stdout
    assert "carrier sweep: 0 billed by the carrier but unknown here, 0 active here but not billed" in result.stdout
    async with sessionmaker() as session:  # the operator fixes the carrier: the number is released there
        await session.delete(await session.get(IncomingPhoneNumber, "PN" + MAGIC_RELEASE_FAILS[-10:].rjust(32, "0")))
        await session.delete(await session.get(SandboxSoldNumber, MAGIC_RELEASE_FAILS))
        await session.commit()
    clean = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert clean.returncode == 0, clean.stdout
    assert "settled 0: activated 0, removed 0, released 0; left 0" in clean.stdout


class SlowCountingCarrier(SandboxProvider):
    """The sandbox, answering `owns` slowly and counting who asked about what."""

    def __init__(self, ledger: MemoryLedger) -> None:
        super().__init__(ledger)
        self.asked: list[str] = []

    async def owns(self, phone_number: str) -> bool | None:
        self.asked.append(phone_number)
        await asyncio.sleep(0.01)
        return await super().owns(phone_number)


async def test_concurrent_reconcilers_never_settle_the_same_number(database_url: str) -> None:
    """Reconcilers of several instances at once: each row is leased by one of them."""
    app = create_app(Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0))
    async with app.router.lifespan_context(app):
        sessionmaker = app.state.database.session
        numbers = [f"+1510555{n:04d}" for n in range(4000, 4030)]
        ledger = MemoryLedger()
        for number in numbers:
            await leave(sessionmaker, number, "pending", carrier_has_it=False)
            await ledger.record_sale(number)
        carriers = [SlowCountingCarrier(ledger) for _ in range(3)]
        reports = await asyncio.gather(*(reconcile(db=app.state.database, provider=c) for c in carriers))
    activated = [n for report in reports for n in report.activated]
    assert sorted(activated) == numbers  # every number settled, none twice
    assert sorted(n for c in carriers for n in c.asked) == numbers  # the carrier was asked once per number
    assert sum(1 for c in carriers if c.asked) >= 2  # and the work really was shared
