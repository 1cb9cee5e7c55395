"""REST get, update (POST and PUT), transfer, release of one number, and *ApplicationSid."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import (
    ALL_METHODS,
    NUMBER_KEYS,
    assert_error,
    buy,
    count_rows,
    number_path,
    set_dates,
)

LONG_AGO = datetime(2020, 1, 2, 3, 4, 5)


async def create_application(client, who: Credentials, name: str, account_sid: str | None = None) -> str:
    response = await client.post(
        f"/restcomm/2012-04-24/Accounts/{account_sid or who.sid}/Applications.json",
        data={"FriendlyName": name}, auth=who.auth,
    )
    assert response.status_code == 201, response.text
    return response.json()["sid"]  # type: ignore[no-any-return]


async def test_get_one_number(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555", VoiceUrl="https://example.com/v")
    for path in (
        number_path(admin.sid, number["sid"]),
        numbers_path(admin.sid, f".json/{number['sid']}"),
        f"/2012-04-24/Accounts/{admin.sid}/IncomingPhoneNumbers/{number['sid']}.json",
    ):
        response = await client.get(path, auth=admin.auth)
        assert response.status_code == 200, (path, response.text)
        assert response.json() == number
    missing = await client.get(number_path(admin.sid, "PN" + "0" * 32), auth=admin.auth)
    assert_error(missing, 404, 20404, "PN" + "0" * 32)
    malformed = await client.get(number_path(admin.sid, "PNnot-a-sid"), auth=admin.auth)
    assert_error(malformed, 404, 20404)


@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_update_changes_only_what_is_given(client, admin: Credentials, sessionmaker, method: str) -> None:
    number = await buy(
        client, admin, "+15105555555", VoiceUrl="https://example.com/voice", SmsUrl="https://example.com/sms",
        VoiceMethod="GET", FriendlyName="before",
    )
    await set_dates(sessionmaker, number["sid"], created=LONG_AGO, updated=LONG_AGO)
    path = number_path(admin.sid, number["sid"])
    number = (await client.get(path, auth=admin.auth)).json()
    assert number["date_created"] == number["date_updated"] == "Thu, 2 Jan 2020 03:04:05 +0000"

    response = await client.request(
        method, path, auth=admin.auth,
        data={"SmsUrl": "", "UssdUrl": "https://example.com/ussd", "ReferMethod": "get",
              "PhoneNumber": "+14155550123", "AreaCode": "212", "Ignored": "x"},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert list(updated) == NUMBER_KEYS
    changed = {k for k in updated if updated[k] != number[k]}
    assert changed == {"sms_url", "ussd_url", "refer_method", "date_updated"}
    assert updated["sms_url"] is None  # an empty *Url clears it
    assert updated["ussd_url"] == "https://example.com/ussd"
    assert updated["refer_method"] == "GET"
    # untouched: VoiceUrl, VoiceMethod, FriendlyName; PhoneNumber and AreaCode are ignored
    assert (updated["voice_url"], updated["voice_method"], updated["friendly_name"]) == (
        "https://example.com/voice", "GET", "before")
    assert updated["phone_number"] == "+15105555555"
    # date_created stays (as aged), date_updated moves to now
    assert updated["date_created"] == "Thu, 2 Jan 2020 03:04:05 +0000"
    assert updated["date_updated"] != "Thu, 2 Jan 2020 03:04:05 +0000"
    assert str(datetime.utcnow().year) in updated["date_updated"]

    # FriendlyName alone; an empty method restores the default POST
    response = await client.request(method, path, auth=admin.auth, data={"FriendlyName": "after", "VoiceMethod": ""})
    assert response.status_code == 200, response.text
    assert (response.json()["friendly_name"], response.json()["voice_method"]) == ("after", "POST")
    # an empty body changes nothing but is still fine
    response = await client.request(method, path, auth=admin.auth)
    assert response.status_code == 200
    assert {k: v for k, v in response.json().items() if k != "date_updated"} == {
        k: v for k, v in (await client.get(path, auth=admin.auth)).json().items() if k != "date_updated"}
    assert await count_rows(sessionmaker, "+14155550123") == 0


async def test_update_validation(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555", VoiceUrl="https://example.com/voice")
    path = number_path(admin.sid, number["sid"])
    cases = [
        ({"VoiceUrl": "example.com/voice"}, 21502, "VoiceUrl"),
        ({"VoiceFallbackUrl": "javascript:alert(1)"}, 21502, "VoiceFallbackUrl"),
        ({"SmsMethod": "PATCH"}, 20001, "SmsMethod"),
        ({"FriendlyName": "y" * 65}, 20001, "FriendlyName"),
        ({"FriendlyName": ""}, 20001, "FriendlyName"),
        ({"ApiVersion": "2008-08-01"}, 20001, "ApiVersion"),
        ({"VoiceCallerIdLookup": "1"}, 20001, "VoiceCallerIdLookup"),
        ({"UssdApplicationSid": "nope"}, 20001, "UssdApplicationSid"),
        ({"AccountSid": "not-an-account"}, 20001, "AccountSid"),
    ]
    for data, code, name in cases:
        response = await client.post(path, data=data, auth=admin.auth)
        assert_error(response, 400, code, name)
    # none of the refused updates changed anything
    assert (await client.get(path, auth=admin.auth)).json() == number
    missing = await client.post(number_path(admin.sid, "PN" + "1" * 32), data={"FriendlyName": "x"}, auth=admin.auth)
    assert_error(missing, 404, 20404)


async def test_transfer_with_account_sid(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    sibling = await make_account(admin)
    suspended = await make_account(admin, status="suspended")
    other = await make_account(None)
    number = await buy(client, admin, "+15105555555")

    # parent -> child: account_sid and uri change; the number is now under the child
    response = await client.post(number_path(admin.sid, number["sid"]), data={"AccountSid": child.sid}, auth=admin.auth)
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["account_sid"] == child.sid
    assert moved["uri"] == f"/2012-04-24/Accounts/{child.sid}/IncomingPhoneNumbers/{number['sid']}.json"
    assert (await client.get(number_path(child.sid, number["sid"]), auth=child.auth)).status_code == 200
    # the old URL: the caller may see the number elsewhere -> 403, not 404
    assert_error(await client.get(number_path(admin.sid, number["sid"]), auth=admin.auth), 403, 20403)

    # caller = common parent: child -> sibling
    response = await client.put(number_path(child.sid, number["sid"]), data={"AccountSid": sibling.sid}, auth=admin.auth)
    assert response.status_code == 200, response.text
    assert response.json()["account_sid"] == sibling.sid

    # the sibling itself may not give it to its parent, nor to its sibling
    for target in (admin.sid, child.sid):
        response = await client.post(number_path(sibling.sid, number["sid"]), data={"AccountSid": target}, auth=sibling.auth)
        assert_error(response, 403, 20403, target)
    # another organization, an inactive target, an unknown account: 403
    for target in (other.sid, suspended.sid, "AC" + "f" * 32):
        response = await client.post(number_path(sibling.sid, number["sid"]), data={"AccountSid": target}, auth=admin.auth)
        assert_error(response, 403, 20403, target)
    # the other organization's administrator cannot pull it either
    response = await client.post(number_path(sibling.sid, number["sid"]), data={"AccountSid": other.sid}, auth=other.auth)
    assert_error(response, 403, 20403)

    final = await client.get(number_path(sibling.sid, number["sid"]), auth=admin.auth)
    assert final.json()["account_sid"] == sibling.sid
    # transferring to the account it already belongs to is a no-op update
    same = await client.post(number_path(sibling.sid, number["sid"]), data={"AccountSid": sibling.sid}, auth=sibling.auth)
    assert same.status_code == 200 and same.json()["account_sid"] == sibling.sid


async def test_release(client, admin: Credentials, make_account, sessionmaker) -> None:
    number = await buy(client, admin, "+15105555555")
    sip = await buy(client, admin, "1234", isSIP="true")
    for n in (number, sip):
        response = await client.delete(number_path(admin.sid, n["sid"]), auth=admin.auth)
        assert response.status_code == 204
        assert response.content == b""
        assert_error(await client.get(number_path(admin.sid, n["sid"]), auth=admin.auth), 404, 20404)
        # a second release: nothing left to release
        assert_error(await client.delete(number_path(admin.sid, n["sid"]), auth=admin.auth), 404, 20404)
    assert await count_rows(sessionmaker, "+15105555555") == 0
    listed = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
    assert listed.json()["incomingPhoneNumbers"] == []
    # the same number can be bought again, by anyone
    other = await make_account(None)
    again = await buy(client, other, "+15105555555")
    assert again["sid"] != number["sid"]
    assert (await buy(client, admin, "1234", isSIP="true"))["phone_number"] == "1234"


async def test_application_sids(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    grandchild = await make_account(child)
    other = await make_account(None)
    mine = await create_application(client, admin, "Hello App")
    childs = await create_application(client, child, "Child App")
    foreign = await create_application(client, other, "Foreign App")

    number = await buy(client, admin, "+15105555555", VoiceApplicationSid=mine, ReferApplicationSid=mine)
    keys = list(number)
    assert keys[keys.index("voice_application_sid") + 1] == "voice_application_name"
    assert keys[keys.index("refer_application_sid") + 1] == "refer_application_name"
    assert "sms_application_name" not in keys and "ussd_application_name" not in keys
    assert (number["voice_application_sid"], number["voice_application_name"]) == (mine, "Hello App")
    assert number["refer_application_name"] == "Hello App"

    # an application of an ancestor serves the descendants
    below = await buy(client, grandchild, "+14155550123", SmsApplicationSid=mine, UssdApplicationSid=childs)
    assert (below["sms_application_name"], below["ussd_application_name"]) == ("Hello App", "Child App")
    # not of a descendant, nor of another organization
    for application in (childs, foreign):
        response = await client.post(
            numbers_path(admin.sid, ".json"), data={"PhoneNumber": "+12125550123", "VoiceApplicationSid": application},
            auth=admin.auth,
        )
        assert_error(response, 400, 20001, "VoiceApplicationSid", application)
        response = await client.post(
            number_path(admin.sid, number["sid"]), data={"SmsApplicationSid": application}, auth=admin.auth
        )
        assert_error(response, 400, 20001, "SmsApplicationSid")
    # a transfer to an account the application does not serve is refused
    response = await client.post(
        number_path(grandchild.sid, below["sid"]), data={"AccountSid": grandchild.sid}, auth=admin.auth
    )
    assert response.status_code == 200
    response = await client.post(
        number_path(grandchild.sid, below["sid"]), data={"AccountSid": admin.sid}, auth=admin.auth
    )
    assert_error(response, 400, 20001, "UssdApplicationSid")

    # an empty value clears it, and its name disappears with it
    response = await client.post(number_path(admin.sid, number["sid"]), data={"VoiceApplicationSid": ""}, auth=admin.auth)
    assert response.status_code == 200, response.text
    cleared = response.json()
    assert cleared["voice_application_sid"] is None and "voice_application_name" not in cleared
    assert cleared["refer_application_name"] == "Hello App"
    assert all(cleared[m] == "POST" for m in ALL_METHODS)
