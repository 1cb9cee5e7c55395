"""Releasing a number (SPEC §4 Delete, §5 releaseNumber): back to the carrier, or kept."""

from __future__ import annotations

from datetime import datetime

from gateway.domain.errors import ErrorCode
from gateway.providers.sandbox import MAGIC_RELEASE_FAILS
from gateway.storage.tables import IncomingPhoneNumber
from tests.support.accounts import Credentials
from tests.support.frontends import Frontend
from tests.support.rest import set_dates

NUMBER = "+15105555555"
E = ErrorCode


async def test_release_and_buy_again(frontend: Frontend, admin: Credentials, make_account, sessionmaker) -> None:
    number = (await frontend.purchase(admin, phone_number=NUMBER)).ok()
    sip = (await frontend.purchase(admin, phone_number="1234", is_sip=True)).ok()
    # Aged, so a date_updated moved by the release itself shows (second resolution).
    for aged in (number, sip):
        await set_dates(sessionmaker, aged["sid"], updated=datetime(2026, 1, 1))
    number, sip = await frontend.get(admin, number["sid"]), await frontend.get(admin, sip["sid"])
    stranger = await make_account(None)
    (await frontend.release(stranger, number["sid"])).refused(frontend.someone_elses, "sid")
    for bought in (number, sip):
        released = (await frontend.release(admin, bought["sid"])).ok()
        assert released == bought  # the number as it was just before
        assert await frontend.get(admin, bought["sid"]) is None
        # A second release: nothing left to release.
        (await frontend.release(admin, bought["sid"])).refused(E.NOT_FOUND, "sid")
    assert await frontend.phone_numbers(admin) == []
    # The same number can be bought again, by anyone.
    again = (await frontend.purchase(stranger, phone_number=NUMBER)).ok()
    assert again["sid"] != number["sid"]
    assert (await frontend.purchase(admin, phone_number="1234", is_sip=True)).ok()["phone_number"] == "1234"


async def test_a_release_the_carrier_does_not_confirm_keeps_the_number(
    frontend: Frontend, admin: Credentials, sessionmaker
) -> None:
    bought = (await frontend.purchase(admin, phone_number=MAGIC_RELEASE_FAILS)).ok()
    # Aged, so a date_updated moved by the release that did not happen shows (second resolution).
    await set_dates(sessionmaker, bought["sid"], updated=datetime(2026, 1, 1))
    kept = await frontend.get(admin, bought["sid"])
    refusal = (await frontend.release(admin, kept["sid"])).refused(E.PROVIDER_UNAVAILABLE, None, MAGIC_RELEASE_FAILS)
    assert "retry" in refusal.message, refusal
    assert await frontend.get(admin, kept["sid"]) == kept
    assert await frontend.phone_numbers(admin) == [MAGIC_RELEASE_FAILS]
    async with sessionmaker() as session:  # back to active, not left "releasing" for the reconciler
        row = await session.get(IncomingPhoneNumber, kept["sid"])
        assert row is not None and row.status == "active"
    # ...so it can be changed, and the release retried.
    assert (await frontend.update(admin, kept["sid"], friendly_name="kept")).ok()["friendly_name"] == "kept"
    (await frontend.release(admin, kept["sid"])).refused(E.PROVIDER_UNAVAILABLE)
