"""What only REST does on a purchase (SPEC §4 Purchase): form encoding, values in any
case, typed subresources. What REST and GraphQL share is in tests/behaviour/."""

from __future__ import annotations

from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import ALL_METHODS, FORM, assert_error, buy, count_rows


async def listed(client, who: Credentials, suffix: str = "") -> list[str]:
    response = await client.get(numbers_path(who.sid, f"{suffix}.json"), auth=who.auth)
    assert response.status_code == 200, response.text
    return [n["phone_number"] for n in response.json()["incomingPhoneNumbers"]]


async def test_an_unencoded_plus(client, admin: Credentials, sessionmaker) -> None:
    # curl -d PhoneNumber=+15105555555 sends the + raw: form decoding turns it into a space.
    response = await client.post(
        numbers_path(admin.sid, ".json"), content=b"PhoneNumber=+15105555555", headers=FORM, auth=admin.auth
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone_number"] == "+15105555555"
    assert await count_rows(sessionmaker, "+15105555555") == 1
    # ...also when the number is taken: the refusal names the number, not a space.
    again = await client.post(
        numbers_path(admin.sid, ".json"), content=b"PhoneNumber=+15105555555", headers=FORM, auth=admin.auth
    )
    assert_error(again, 400, 21452, "+15105555555")


async def test_form_values_in_any_case_and_unknown_parameters_ignored(client, admin: Credentials) -> None:
    methods = {
        "VoiceMethod": "get", "VoiceFallbackMethod": "Get", "StatusCallbackMethod": "GET",
        "SmsMethod": "post", "SmsFallbackMethod": "get", "UssdMethod": "gEt",
        "UssdFallbackMethod": "get", "ReferMethod": "get",
    }
    number = await buy(
        client, admin, "+15105555555", VoiceCallerIdLookup="TRUE", SmsCapable="False", Unknown="ignored", **methods,
    )
    # lower-case in, upper-case out
    assert [number[m] for m in ALL_METHODS] == [m.upper() for m in methods.values()]
    assert number["voice_caller_id_lookup"] is True and number["capabilities"]["sms_capable"] is False
    assert "unknown" not in {k.lower() for k in number}


async def test_form_values_that_are_not_a_method_or_a_boolean(client, admin: Credentials) -> None:
    # What GraphQL's types refuse before any resolver runs, a form can send: each is named.
    cases = [
        {"VoiceMethod": "PUT"}, {"StatusCallbackMethod": "DELETE"}, {"UssdFallbackMethod": "x"},
        {"VoiceCallerIdLookup": "yes"}, {"MmsCapable": "1"}, {"isSIP": "maybe"},
    ]
    for data in cases:
        response = await client.post(
            numbers_path(admin.sid, ".json"), data={"PhoneNumber": "+15105555555", **data}, auth=admin.auth
        )
        assert_error(response, 400, 20001, *data)
    assert await listed(client, admin) == []  # no failed purchase left a number behind


async def test_typed_subresources_list_their_own_type(client, admin: Credentials) -> None:
    local = await buy(client, admin, "+15105555555", subresource="/Local")
    toll_free = await buy(client, admin, "+18005550199", subresource="/TollFree")
    mobile = await buy(client, admin, "+447400123456", subresource="/Mobile")
    assert await listed(client, admin, "/Local") == [local["phone_number"]]
    assert await listed(client, admin, "/TollFree") == [toll_free["phone_number"]]
    assert await listed(client, admin, "/Mobile") == [mobile["phone_number"]]
    # On a typed subresource the message names the subresource's own rule.
    response = await client.post(numbers_path(admin.sid, "/Local.json"), data={"AreaCode": "510"}, auth=admin.auth)
    assert_error(response, 400, 21450, "PhoneNumber", "does not take AreaCode")


async def test_global_resource_classifies_the_number(client, admin: Credentials) -> None:
    await buy(client, admin, "+18885550123")
    await buy(client, admin, "+447400123456")
    await buy(client, admin, "+442079460123")
    assert await listed(client, admin, "/TollFree") == ["+18885550123"]
    assert await listed(client, admin, "/Mobile") == ["+447400123456"]
    assert await listed(client, admin, "/Local") == ["+442079460123"]


async def test_is_sip_in_any_case(client, admin: Credentials) -> None:
    # Any case of `true`, and of the parameter's own name (Restcomm's clients send isSIP and issip).
    assert (await buy(client, admin, "1234", isSIP="TRUE"))["phone_number"] == "1234"
    assert (await buy(client, admin, "alice", issip="True"))["phone_number"] == "alice"
    assert await listed(client, admin) == ["1234", "alice"]
