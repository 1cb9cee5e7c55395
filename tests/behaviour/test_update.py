"""Changing a number (SPEC §4 Update, §5 updateNumber): only what is given changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gateway.domain.errors import ErrorCode
from tests.graphql_helpers import make_application
from tests.support.accounts import Credentials
from tests.support.frontends import Frontend
from tests.support.rest import ALL_METHODS, set_dates

NUMBER = "+15105555555"
E = ErrorCode
LONG_AGO = datetime(2020, 1, 2, 3, 4, 5)
LONG_AGO_RFC2822 = "Thu, 2 Jan 2020 03:04:05 +0000"


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


async def test_only_what_is_given_changes(frontend: Frontend, app, admin: Credentials, sessionmaker) -> None:
    application = await make_application(app, admin)
    bought = (await frontend.purchase(
        admin, phone_number=NUMBER, voice_url="https://example.com/v", voice_method="GET",
        voice_fallback_url="https://example.com/vf", voice_application_sid=application, sms_url="https://example.com/s",
        friendly_name="Before",
    )).ok()
    await set_dates(sessionmaker, bought["sid"], created=LONG_AGO, updated=LONG_AGO)
    before = await frontend.get(admin, bought["sid"])
    assert before is not None and before["date_updated"] == LONG_AGO_RFC2822

    after = (await frontend.update(admin, bought["sid"], voice_url="https://example.com/new", ussd_url="https://example.com/u",
                                   refer_method="GET")).ok()
    assert changed(before, after) == {"voice_url", "ussd_url", "refer_method", "date_updated"}
    assert (after["voice_url"], after["ussd_url"], after["refer_method"]) == (
        "https://example.com/new", "https://example.com/u", "GET")
    assert after["date_created"] == LONG_AGO_RFC2822 and str(datetime.utcnow().year) in after["date_updated"]
    assert await frontend.get(admin, bought["sid"]) == after

    # None clears a URL and an application, and restores a method to POST.
    cleared = (await frontend.update(
        admin, bought["sid"], friendly_name="After", voice_fallback_url=None, voice_application_sid=None,
        voice_method=None, sms_url=None, sms_capable=False,
    )).ok()
    assert changed(after, cleared) == {
        "friendly_name", "voice_fallback_url", "voice_application_sid", "voice_application_name", "voice_method",
        "sms_url", "capabilities",
    } | ({"date_updated"} if cleared["date_updated"] != after["date_updated"] else set())
    assert cleared["voice_fallback_url"] is None and cleared["voice_application_sid"] is None
    assert "voice_application_name" not in cleared
    assert cleared["voice_method"] == "POST" and cleared["sms_url"] is None
    assert cleared["friendly_name"] == "After" and cleared["capabilities"]["sms_capable"] is False
    assert all(cleared[m] == "POST" for m in ALL_METHODS if m != "refer_method")

    # No change at all: nothing changes, and that is fine.
    again = (await frontend.update(admin, bought["sid"])).ok()
    assert changed(cleared, again) <= {"date_updated"}


#: (changes, the refusal's kind, the field it names)
REFUSED: list[tuple[dict[str, Any], ErrorCode, str]] = [
    ({"voice_url": "example.com/voice"}, E.INVALID_URL, "voice_url"),
    ({"voice_fallback_url": "javascript:alert(1)"}, E.INVALID_URL, "voice_fallback_url"),
    ({"refer_url": "nope"}, E.INVALID_URL, "refer_url"),
    ({"friendly_name": "y" * 65}, E.INVALID_PARAMETER, "friendly_name"),
    ({"friendly_name": ""}, E.INVALID_PARAMETER, "friendly_name"),
    ({"api_version": "2008-08-01"}, E.INVALID_PARAMETER, "api_version"),
    ({"ussd_application_sid": "nope"}, E.INVALID_PARAMETER, "ussd_application_sid"),
    ({"sms_application_sid": "AP" + "0" * 32}, E.INVALID_PARAMETER, "sms_application_sid"),
    # a valid change beside a refused one is not applied either
    ({"friendly_name": "fine", "sms_url": "ftp://example.com/x"}, E.INVALID_URL, "sms_url"),
]


async def test_refusals_name_the_input_and_change_nothing(frontend: Frontend, admin: Credentials) -> None:
    bought = (await frontend.purchase(admin, phone_number=NUMBER, voice_url="https://example.com/voice")).ok()
    wrong = []
    for changes, code, field_name in REFUSED:
        outcome = await frontend.update(admin, bought["sid"], **changes)
        if outcome.refusal is None or outcome.refusal.code is not code or not outcome.refusal.points_at(field_name):
            wrong.append((changes, code.name, field_name, outcome.refusal or outcome.number))
    assert wrong == []
    assert await frontend.get(admin, bought["sid"]) == bought


async def test_numbers_that_are_not_the_callers(frontend: Frontend, admin: Credentials, make_account) -> None:
    bought = (await frontend.purchase(admin, phone_number=NUMBER)).ok()
    child = await make_account(admin)
    stranger = await make_account(None)
    for unknown in ("PN" + "0" * 32, "garbage"):
        (await frontend.update(admin, unknown, friendly_name="x")).refused(E.NOT_FOUND, "sid", unknown)
    # A child does not see its parent's numbers, nor another organization anyone's.
    for who in (child, stranger):
        (await frontend.update(who, bought["sid"], friendly_name="x")).refused(frontend.someone_elses, "sid")
    assert await frontend.get(admin, bought["sid"]) == bought


async def test_applications_of_ancestors_serve(frontend: Frontend, app, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    other = await make_account(None)
    mine = await make_application(app, admin, "Hello App")
    childs = await make_application(app, child, "Child App")
    foreign = await make_application(app, other, "Foreign App")
    number = (await frontend.purchase(admin, phone_number=NUMBER, voice_application_sid=mine,
                                      refer_application_sid=mine)).ok()
    below = (await frontend.purchase(admin, account_sid=child.sid, phone_number="+14155550123")).ok()

    served = (await frontend.update(admin, below["sid"], sms_application_sid=mine, ussd_application_sid=childs)).ok()
    assert (served["sms_application_name"], served["ussd_application_name"]) == ("Hello App", "Child App")
    for application in (childs, foreign):
        (await frontend.update(admin, number["sid"], sms_application_sid=application)).refused(
            E.INVALID_PARAMETER, "sms_application_sid", application)
    # Clearing one leaves the others, and its name goes with it.
    cleared = (await frontend.update(admin, number["sid"], voice_application_sid=None)).ok()
    assert cleared["voice_application_sid"] is None and "voice_application_name" not in cleared
    assert cleared["refer_application_name"] == "Hello App"
