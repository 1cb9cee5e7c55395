"""Applications (issue "A graph"): rename and delete through either front-end; deleting one
clears it from every number that used it, in every family and every account, at once."""

from __future__ import annotations

import pytest

from gateway.domain.errors import ErrorCode
from tests.support.accounts import Credentials
from tests.support.application_frontends import Applications, applications_of
from tests.support.frontends import Frontend

E = ErrorCode
FAMILIES = ("voice", "sms", "ussd", "refer")


@pytest.fixture
def applications(frontend: Frontend) -> Applications:
    return applications_of(frontend)


async def test_deleting_an_application_clears_it_from_every_number(
    frontend: Frontend, applications: Applications, admin: Credentials, make_account,
) -> None:
    child = await make_account(admin, role="Developer")
    shared = (await applications.create(admin, admin.sid, "Shared")).ok()
    kept = (await applications.create(admin, admin.sid, "Kept")).ok()
    everywhere = (await frontend.purchase(
        admin, phone_number="+15105550001", voice_url="https://example.com/voice",
        **{f"{family}_application_sid": shared["sid"] for family in FAMILIES},
    )).ok()
    # A subaccount's number uses its parent's application for sms, another for voice.
    mixed = (await frontend.purchase(child, phone_number="+15105550002", voice_application_sid=kept["sid"],
                                     sms_application_sid=shared["sid"])).ok()
    untouched = (await frontend.purchase(admin, phone_number="+15105550003", refer_application_sid=kept["sid"])).ok()

    # The subaccount may not delete its parent's application; the parent may.
    (await applications.delete(child, shared["sid"])).refused(frontend.someone_elses)
    assert (await applications.delete(admin, shared["sid"])).ok() == shared

    after = await frontend.get(admin, everywhere["sid"])
    assert after is not None
    assert [after[f"{family}_application_sid"] for family in FAMILIES] == [None] * 4
    assert not any(f"{family}_application_name" in after for family in FAMILIES)
    assert after["voice_url"] == "https://example.com/voice"  # routes by its URL again
    child_number = await frontend.get(child, mixed["sid"])
    assert child_number is not None
    assert (child_number["voice_application_sid"], child_number["sms_application_sid"]) == (kept["sid"], None)
    assert child_number["voice_application_name"] == "Kept"
    assert await frontend.get(admin, untouched["sid"]) == untouched
    # Gone: not deleted twice, and no number may name it any more.
    (await applications.delete(admin, shared["sid"])).refused(E.NOT_FOUND)
    (await frontend.update(admin, untouched["sid"], sms_application_sid=shared["sid"])).refused(
        E.INVALID_PARAMETER, "sms_application_sid", shared["sid"])


async def test_renaming_an_application(frontend: Frontend, applications: Applications, admin: Credentials,
                                       make_account) -> None:
    child = await make_account(admin, role="Developer")
    mine = (await applications.create(child, child.sid, "Mine")).ok()
    assert (await applications.rename(child, mine["sid"], "  Renamed  ")).ok() == {**mine, "friendly_name": "Renamed"}
    assert (await applications.rename(admin, mine["sid"], "By my parent")).ok()["friendly_name"] == "By my parent"
    (await applications.rename(child, mine["sid"], "x" * 65)).refused(E.INVALID_PARAMETER, "friendly_name", "64")
    parents = (await applications.create(admin, admin.sid, "Parent's")).ok()
    (await applications.rename(child, parents["sid"], "Mine now")).refused(frontend.someone_elses)
    stranger = await make_account(None)
    (await applications.rename(stranger, mine["sid"], "Mine now")).refused(frontend.someone_elses)
