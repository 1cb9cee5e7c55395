"""What only REST does with one number: its URLs, form updates by POST and PUT, empty
values that clear, 204 on release, application names beside their sids. What REST and
GraphQL share (what changes, what is refused, who may) is in tests/behaviour/."""

from __future__ import annotations

import pytest

from tests.graphql_helpers import make_application
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import (
    ALL_METHODS,
    NUMBER_KEYS,
    assert_error,
    buy,
    count_rows,
    number_path,
)


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
async def test_update_by_form(client, admin: Credentials, sessionmaker, method: str) -> None:
    number = await buy(
        client, admin, "+15105555555", VoiceUrl="https://example.com/voice", SmsUrl="https://example.com/sms",
        VoiceMethod="GET", FriendlyName="before",
    )
    path = number_path(admin.sid, number["sid"])
    response = await client.request(
        method, path, auth=admin.auth,
        data={"SmsUrl": "", "UssdUrl": "https://example.com/ussd", "ReferMethod": "get",
              "PhoneNumber": "+14155550123", "AreaCode": "212", "Ignored": "x"},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert list(updated) == NUMBER_KEYS
    changed = {k for k in updated if updated[k] != number[k]}
    assert changed <= {"sms_url", "ussd_url", "refer_method", "date_updated"}
    assert changed >= {"sms_url", "ussd_url", "refer_method"}
    assert updated["sms_url"] is None  # an empty *Url clears it
    assert updated["refer_method"] == "GET"  # any case in, upper case out
    # PhoneNumber and AreaCode are not changes: a number stays the number it is
    assert updated["phone_number"] == "+15105555555"
    assert await count_rows(sessionmaker, "+14155550123") == 0

    # an empty method restores the default POST
    response = await client.request(method, path, auth=admin.auth, data={"FriendlyName": "after", "VoiceMethod": ""})
    assert response.status_code == 200, response.text
    assert (response.json()["friendly_name"], response.json()["voice_method"]) == ("after", "POST")
    # an empty body changes nothing but is still fine
    response = await client.request(method, path, auth=admin.auth)
    assert response.status_code == 200
    assert {k: v for k, v in response.json().items() if k != "date_updated"} == {
        k: v for k, v in (await client.get(path, auth=admin.auth)).json().items() if k != "date_updated"}


async def test_update_form_values_that_are_not_a_method_or_a_boolean(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555", VoiceUrl="https://example.com/voice")
    path = number_path(admin.sid, number["sid"])
    for data in ({"SmsMethod": "PATCH"}, {"VoiceCallerIdLookup": "1"}, {"FaxCapable": "no"}):
        response = await client.post(path, data=data, auth=admin.auth)
        assert_error(response, 400, 20001, *data)
    # none of the refused updates changed anything
    assert (await client.get(path, auth=admin.auth)).json() == number


async def test_transfer_moves_the_numbers_url(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    sibling = await make_account(admin)
    number = await buy(client, admin, "+15105555555")
    response = await client.post(number_path(admin.sid, number["sid"]), data={"AccountSid": child.sid}, auth=admin.auth)
    assert response.status_code == 200, response.text
    assert (await client.get(number_path(child.sid, number["sid"]), auth=child.auth)).status_code == 200
    # the old URL: the caller may see the number elsewhere -> 403, not 404
    assert_error(await client.get(number_path(admin.sid, number["sid"]), auth=admin.auth), 403, 20403)
    # a PUT under the new URL moves it on
    response = await client.put(number_path(child.sid, number["sid"]), data={"AccountSid": sibling.sid}, auth=admin.auth)
    assert response.status_code == 200, response.text
    assert response.json()["account_sid"] == sibling.sid


async def test_release_answers_204_without_a_body(client, admin: Credentials) -> None:
    number = await buy(client, admin, "+15105555555")
    response = await client.delete(number_path(admin.sid, number["sid"]), auth=admin.auth)
    assert response.status_code == 204 and response.content == b""
    assert_error(await client.delete(number_path(admin.sid, number["sid"]), auth=admin.auth), 404, 20404)


async def test_application_names_follow_their_sids(client, app, admin: Credentials) -> None:
    mine = await make_application(app, admin, "Hello App")
    number = await buy(client, admin, "+15105555555", VoiceApplicationSid=mine, ReferApplicationSid=mine)
    keys = list(number)
    assert keys[keys.index("voice_application_sid") + 1] == "voice_application_name"
    assert keys[keys.index("refer_application_sid") + 1] == "refer_application_name"
    assert "sms_application_name" not in keys and "ussd_application_name" not in keys
    assert (number["voice_application_sid"], number["voice_application_name"]) == (mine, "Hello App")
    # an empty value clears it, and its name disappears with it
    response = await client.post(number_path(admin.sid, number["sid"]), data={"VoiceApplicationSid": ""}, auth=admin.auth)
    assert response.status_code == 200, response.text
    cleared = response.json()
    assert list(cleared) == [k for k in keys if k != "voice_application_name"]
    assert all(cleared[m] == "POST" for m in ALL_METHODS)
