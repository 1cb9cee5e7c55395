"""GraphQL mutations (SPEC §5): REST's semantics through the same services, expected
failures in `userErrors` (transport 200) with REST's Restcomm codes."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.providers.sandbox import MAGIC_RELEASE_FAILS, MAGIC_UNAVAILABLE
from gateway.storage.tables import Account
from tests.graphql_helpers import (
    NUMBER_FIELDS,
    as_rest,
    data,
    make_application,
    number,
    post,
)
from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import ALL_METHODS, ALL_URLS, buy, number_path

ERRORS = "userErrors { field message code restcommCode }"
PURCHASE = f"""mutation($input: PurchaseNumberInput!) {{
  purchaseNumber(input: $input) {{ incomingPhoneNumber {{ {NUMBER_FIELDS} }} {ERRORS} }}
}}"""
UPDATE = f"""mutation($input: UpdateNumberInput!) {{
  updateNumber(input: $input) {{ incomingPhoneNumber {{ {NUMBER_FIELDS} }} {ERRORS} }}
}}"""
RELEASE = f"""mutation($input: ReleaseNumberInput!) {{
  releaseNumber(input: $input) {{ releasedSid incomingPhoneNumber {{ sid phoneNumber }} {ERRORS} }}
}}"""
TRANSFER = f"""mutation($input: TransferNumberInput!) {{
  transferNumber(input: $input) {{ incomingPhoneNumber {{ sid account {{ sid }} uri }} {ERRORS} }}
}}"""
CREATE_SUBACCOUNT = f"""mutation($input: CreateSubaccountInput!) {{
  createSubaccount(input: $input) {{ account {{ sid email role friendlyName parent {{ sid }} }} authToken {ERRORS} }}
}}"""


async def mutate(client, who: Credentials, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
    """The mutation's payload (transport 200, no GraphQL errors)."""
    result = await data(client, who, mutation, {"input": input})
    [payload] = result.values()
    return payload  # type: ignore[no-any-return]


async def rest_number(client, who: Credentials, sid: str, account_sid: str | None = None) -> dict[str, Any]:
    response = await client.get(number_path(account_sid or who.sid, sid), auth=who.auth)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def only_error(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload.get("incomingPhoneNumber") is None, payload
    [error] = payload["userErrors"]
    return error  # type: ignore[no-any-return]


# -- Purchase ----------------------------------------------------------------------


async def test_purchase_then_read_back_over_rest(client, app, admin: Credentials) -> None:
    application = await make_application(app, admin, "Sms app")
    payload = await mutate(client, admin, PURCHASE, {
        "phoneNumber": "+15105555555",
        "friendlyName": "Support line",
        "apiVersion": "2012-04-24",
        "voice": {"url": "https://example.com/voice", "method": "GET", "fallbackUrl": "https://example.com/vf",
                  "fallbackMethod": "GET", "statusCallback": "https://example.com/status",
                  "statusCallbackMethod": "GET", "callerIdLookup": True},
        "sms": {"url": "https://example.com/sms", "applicationSid": application},
        "ussd": {"url": "https://example.com/ussd", "fallbackUrl": "https://example.com/uf"},
        "refer": {"url": "https://example.com/refer", "method": "GET"},
        "capabilities": {"fax": False},
        "idempotencyKey": "reserved-for-later",
    })
    assert payload["userErrors"] == []
    node = payload["incomingPhoneNumber"]
    assert node["phoneNumber"] == "+15105555555" and node["account"]["sid"] == admin.sid
    assert node["voice"]["method"] == "GET" and node["sms"]["method"] == "POST"
    assert node["voice"]["callerIdLookup"] is True
    assert node["sms"]["application"] == {"sid": application, "friendlyName": "Sms app"}
    assert node["capabilities"] == {"voice": True, "sms": True, "mms": True, "fax": False}
    # REST reads the very same number.
    assert await rest_number(client, admin, node["sid"]) == as_rest(node)


async def test_purchase_defaults_area_code_sip_and_subaccount(client, make_account, admin: Credentials) -> None:
    plain = (await mutate(client, admin, PURCHASE, {"phoneNumber": " 14155550123 "}))["incomingPhoneNumber"]
    rest = await rest_number(client, admin, plain["sid"])
    assert as_rest(plain) == rest
    assert rest["friendly_name"] == "(415) 555-0123"
    assert all(rest[m] == "POST" for m in ALL_METHODS) and all(rest[u] is None for u in ALL_URLS)

    by_area = (await mutate(client, admin, PURCHASE, {"areaCode": "212", "phoneNumber": "+14155550124"}))["incomingPhoneNumber"]
    assert by_area["phoneNumber"].startswith("+1212")  # areaCode wins, as REST
    toll_free = (await mutate(client, admin, PURCHASE, {"phoneNumber": "+18005550123", "type": "TOLL_FREE"}))
    assert toll_free["incomingPhoneNumber"]["type"] == "TOLL_FREE"

    sip = (await mutate(client, admin, PURCHASE, {"phoneNumber": "1234", "isSip": True}))["incomingPhoneNumber"]
    assert (sip["phoneNumber"], sip["friendlyName"], sip["isSip"]) == ("1234", "1234", True)
    assert as_rest(sip) == await rest_number(client, admin, sip["sid"])

    child = await make_account(admin)
    for_child = await mutate(client, admin, PURCHASE, {"phoneNumber": "+15105550999", "accountSid": child.sid})
    assert for_child["incomingPhoneNumber"]["account"]["sid"] == child.sid


async def test_number_bought_over_rest_reads_the_same_over_graphql(client, admin: Credentials) -> None:
    bought = await buy(client, admin, "+15105555555", VoiceUrl="https://example.com/v", SmsMethod="GET")
    query = f"query($s: ID!) {{ incomingPhoneNumber(sid: $s) {{ {NUMBER_FIELDS} }} }}"
    assert as_rest((await data(client, admin, query, {"s": bought["sid"]}))["incomingPhoneNumber"]) == bought


@pytest.mark.parametrize(
    "input, path, code, restcomm, mention",
    [
        ({}, ["input", "phoneNumber"], "MISSING_PHONE_NUMBER", 21450, "PhoneNumber or AreaCode"),
        ({"phoneNumber": "+1555"}, ["input", "phoneNumber"], "INVALID_PHONE_NUMBER", 21421, "phoneNumber '+1555'"),
        ({"phoneNumber": MAGIC_UNAVAILABLE}, ["input", "phoneNumber"], "NUMBER_UNAVAILABLE", 21452, "not available"),
        ({"areaCode": "51"}, ["input", "areaCode"], "INVALID_AREA_CODE", 21451, "areaCode"),
        ({"phoneNumber": "+15105555555", "voice": {"url": "ftp://example.com/x"}}, ["input", "voice", "url"],
         "INVALID_URL", 21502, "voice.url 'ftp://example.com/x'"),
        ({"phoneNumber": "+15105555555", "sms": {"fallbackUrl": "example.com"}}, ["input", "sms", "fallbackUrl"],
         "INVALID_URL", 21502, "sms.fallbackUrl"),
        ({"phoneNumber": "+15105555555", "ussd": {"applicationSid": "AP123"}}, ["input", "ussd", "applicationSid"],
         "INVALID_PARAMETER", 20001, "ussd.applicationSid"),
        ({"phoneNumber": "+15105555555", "voice": {"applicationSid": "AP" + "0" * 32}},
         ["input", "voice", "applicationSid"], "INVALID_PARAMETER", 20001, "is not an application"),
        ({"phoneNumber": "+15105555555", "friendlyName": "x" * 65}, ["input", "friendlyName"], "INVALID_PARAMETER",
         20001, "friendlyName is 65 characters"),
        ({"phoneNumber": "+15105555555", "apiVersion": "2010-04-01"}, ["input", "apiVersion"], "INVALID_PARAMETER",
         20001, "apiVersion"),
        ({"phoneNumber": "+15105555555", "type": "TOLL_FREE"}, ["input", "phoneNumber"], "INVALID_PHONE_NUMBER",
         21421, "not a toll-free one"),
        ({"phoneNumber": "+15105555555", "accountSid": "AC" + "0" * 32}, ["input", "accountSid"], "FORBIDDEN", 20403,
         "not"),
    ],
)
async def test_purchase_user_errors(client, admin: Credentials, input, path, code, restcomm, mention) -> None:
    payload = await mutate(client, admin, PURCHASE, input)
    error = only_error(payload)
    assert (error["field"], error["code"], error["restcommCode"]) == (path, code, restcomm), error
    assert mention in error["message"], error["message"]
    # Nothing was bought.
    assert (await data(client, admin, "{ incomingPhoneNumbers { totalCount } }"))["incomingPhoneNumbers"]["totalCount"] == 0


async def test_purchase_of_a_taken_number(client, make_account, admin: Credentials) -> None:
    await mutate(client, admin, PURCHASE, {"phoneNumber": "+15105555555"})
    stranger = await make_account(None)
    error = only_error(await mutate(client, stranger, PURCHASE, {"phoneNumber": "+15105555555"}))
    assert (error["code"], error["restcommCode"]) == ("NUMBER_UNAVAILABLE", 21452)


async def test_wrong_types_are_graphql_validation_errors(client, admin: Credentials) -> None:
    body = await post(client, admin, PURCHASE, {"input": {"phoneNumber": "+15105555555", "voice": {"method": "PUT"}}})
    assert body.get("data") is None and "HttpMethod" in body["errors"][0]["message"]


# -- Update ------------------------------------------------------------------------


async def test_partial_update_and_clearing(client, app, admin: Credentials) -> None:
    application = await make_application(app, admin)
    bought = await buy(
        client, admin, "+15105555555", VoiceUrl="https://example.com/v", VoiceMethod="GET",
        VoiceFallbackUrl="https://example.com/vf", VoiceApplicationSid=application, SmsUrl="https://example.com/s",
        FriendlyName="Before",
    )

    # Only what is given changes.
    payload = await mutate(client, admin, UPDATE, {"sid": bought["sid"], "voice": {"url": "https://example.com/new"}})
    assert payload["userErrors"] == []
    after = await rest_number(client, admin, bought["sid"])
    assert as_rest(payload["incomingPhoneNumber"]) == after
    changed = {k for k in bought if bought[k] != after[k]}
    assert changed == {"voice_url", "date_updated"} or changed == {"voice_url"}  # dates have 1 s resolution
    assert after["voice_url"] == "https://example.com/new"

    # An explicit null clears a URL and an application, and restores a method to POST.
    payload = await mutate(client, admin, UPDATE, {
        "sid": bought["sid"], "friendlyName": "After", "voice": {"fallbackUrl": None, "applicationSid": None, "method": None},
        "sms": {"url": None}, "capabilities": {"sms": False},
    })
    assert payload["userErrors"] == []
    after = await rest_number(client, admin, bought["sid"])
    assert as_rest(payload["incomingPhoneNumber"]) == after
    assert after["voice_fallback_url"] is None and after["voice_application_sid"] is None
    assert "voice_application_name" not in after
    assert after["voice_method"] == "POST" and after["sms_url"] is None
    assert after["voice_url"] == "https://example.com/new"  # untouched
    assert after["friendly_name"] == "After" and after["capabilities"]["sms_capable"] is False

    # An empty input changes nothing.
    payload = await mutate(client, admin, UPDATE, {"sid": bought["sid"]})
    assert as_rest(payload["incomingPhoneNumber"]) == await rest_number(client, admin, bought["sid"])


async def test_update_user_errors(client, make_account, admin: Credentials) -> None:
    [sid] = await buy_numbers_over_rest(client, admin, 1)
    error = only_error(await mutate(client, admin, UPDATE, {"sid": sid, "refer": {"url": "nope"}}))
    assert (error["field"], error["code"], error["restcommCode"]) == (["input", "refer", "url"], "INVALID_URL", 21502)
    assert error["message"].startswith("refer.url 'nope'")
    error = only_error(await mutate(client, admin, UPDATE, {"sid": sid, "voice": {"callerIdLookup": None}}))
    assert error["field"] == ["input", "voice", "callerIdLookup"] and error["code"] == "INVALID_PARAMETER"
    # Unknown, foreign or the parent's number: not found, as if it did not exist.
    child = await make_account(admin)
    for who, target in ((admin, "PN" + "0" * 32), (child, sid), (admin, "garbage")):
        error = only_error(await mutate(client, who, UPDATE, {"sid": target, "friendlyName": "x"}))
        assert (error["field"], error["code"], error["restcommCode"]) == (["input", "sid"], "NOT_FOUND", 20404)
    assert (await rest_number(client, admin, sid))["friendly_name"] != "x"


async def buy_numbers_over_rest(client, who: Credentials, count: int) -> list[str]:
    return [(await buy(client, who, number(9000 + i)))["sid"] for i in range(count)]


# -- Release -----------------------------------------------------------------------


async def test_release(client, make_account, admin: Credentials) -> None:
    [sid] = await buy_numbers_over_rest(client, admin, 1)
    stranger = await make_account(None)
    error = only_error(await mutate(client, stranger, RELEASE, {"sid": sid}))
    assert (error["code"], error["restcommCode"]) == ("NOT_FOUND", 20404)

    payload = await mutate(client, admin, RELEASE, {"sid": sid})
    assert payload == {"releasedSid": sid, "incomingPhoneNumber": {"sid": sid, "phoneNumber": number(9000)}, "userErrors": []}
    response = await client.get(number_path(admin.sid, sid), auth=admin.auth)
    assert response.status_code == 404
    # The number can be bought again.
    again = await mutate(client, admin, PURCHASE, {"phoneNumber": number(9000)})
    assert again["userErrors"] == []


async def test_release_the_carrier_does_not_confirm_keeps_the_number(client, admin: Credentials) -> None:
    bought = await buy(client, admin, MAGIC_RELEASE_FAILS)
    payload = await mutate(client, admin, RELEASE, {"sid": bought["sid"]})
    error = only_error({**payload, "incomingPhoneNumber": None})
    assert payload["releasedSid"] is None
    assert (error["code"], error["restcommCode"]) == ("PROVIDER_UNAVAILABLE", 21453)
    assert "retry" in error["message"]
    assert (await rest_number(client, admin, bought["sid"]))["phone_number"] == MAGIC_RELEASE_FAILS


# -- Transfer ----------------------------------------------------------------------


async def test_transfer_within_the_organization(client, make_account, admin: Credentials, sessionmaker) -> None:
    [sid] = await buy_numbers_over_rest(client, admin, 1)
    child = await make_account(admin)
    payload = await mutate(client, admin, TRANSFER, {"sid": sid, "toAccountSid": child.sid})
    assert payload["userErrors"] == []
    moved = payload["incomingPhoneNumber"]
    assert moved["account"]["sid"] == child.sid and f"/Accounts/{child.sid}/" in moved["uri"]
    assert (await rest_number(client, child, sid))["account_sid"] == child.sid
    listed = await client.get(numbers_path(admin.sid, ".json"), auth=admin.auth)
    assert listed.json()["total"] == 0

    # The child cannot give it back to its parent; nobody can send it to another organization.
    error = only_error(await mutate(client, child, TRANSFER, {"sid": sid, "toAccountSid": admin.sid}))
    assert (error["field"], error["code"], error["restcommCode"]) == (["input", "toAccountSid"], "FORBIDDEN", 20403)
    stranger = await make_account(None)
    error = only_error(await mutate(client, admin, TRANSFER, {"sid": sid, "toAccountSid": stranger.sid}))
    assert (error["field"], error["code"]) == (["input", "toAccountSid"], "FORBIDDEN")
    error = only_error(await mutate(client, admin, TRANSFER, {"sid": sid, "toAccountSid": "someone"}))
    assert (error["field"], error["code"]) == (["input", "toAccountSid"], "INVALID_PARAMETER")
    assert error["message"].startswith("toAccountSid 'someone'")
    suspended = await make_account(admin, status="suspended")
    error = only_error(await mutate(client, admin, TRANSFER, {"sid": sid, "toAccountSid": suspended.sid}))
    assert error["code"] == "FORBIDDEN" and "suspended" in error["message"]
    assert error["field"] == ["input", "toAccountSid"]
    # A refusal about the number's own account points at the number, not at the target.
    suspended_owner = await make_account(admin)
    await mutate(client, admin, TRANSFER, {"sid": sid, "toAccountSid": suspended_owner.sid})
    async with sessionmaker() as session:
        owner = await session.get(Account, suspended_owner.sid)
        owner.status = "suspended"
        session.add(owner)
        await session.commit()
    error = only_error(await mutate(client, admin, TRANSFER, {"sid": sid, "toAccountSid": child.sid}))
    assert (error["field"], error["code"]) == (["input", "sid"], "FORBIDDEN")


# -- Subaccounts -------------------------------------------------------------------


async def test_create_subaccount(client, admin: Credentials) -> None:
    payload = await mutate(client, admin, CREATE_SUBACCOUNT, {
        "email": "New.User@Example.com", "friendlyName": "New user", "password": "s3cret-password", "role": "DEVELOPER",
    })
    assert payload["userErrors"] == []
    account = payload["account"]
    assert account["email"] == "new.user@example.com" and account["role"] == "DEVELOPER"
    assert account["parent"] == {"sid": admin.sid}
    token = payload["authToken"]
    assert len(token) == 32
    # The new account signs in with its sid and token, or its e-mail and password.
    new = Credentials(account["sid"], token, account["email"])
    assert (await data(client, new, "{ viewer { sid } }"))["viewer"]["sid"] == account["sid"]
    response = await client.post("/graphql", json={"query": "{ viewer { sid } }"}, auth=(account["email"], "s3cret-password"))
    assert response.status_code == 200 and response.json()["data"]["viewer"]["sid"] == account["sid"]
    # REST sees it too.
    response = await client.get(f"/restcomm/2012-04-24/Accounts/{account['sid']}.json", auth=admin.auth)
    assert response.status_code == 200, response.text
    rest = response.json()
    assert (rest["email_address"], rest["friendly_name"], rest["role"], rest["parent_sid"]) == (
        "new.user@example.com", "New user", "Developer", admin.sid)

    # A Developer may not create accounts; an e-mail is used once; a short password is refused.
    payload = await mutate(client, new, CREATE_SUBACCOUNT, {"email": "x@example.com"})
    assert payload["account"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"], error["restcommCode"]) == (None, "FORBIDDEN", 20403)
    for input, path, code in (
        ({"email": "new.user@example.com"}, ["input", "email"], "CONFLICT"),
        ({"email": "not-an-address"}, ["input", "email"], "INVALID_PARAMETER"),
        ({"email": "y@example.com", "password": "short"}, ["input", "password"], "INVALID_PARAMETER"),
    ):
        payload = await mutate(client, admin, CREATE_SUBACCOUNT, input)
        assert payload["account"] is None and payload["authToken"] is None
        [error] = payload["userErrors"]
        assert (error["field"], error["code"]) == (path, code), error
