"""What only GraphQL's mutations do (SPEC §5): typed inputs, explicit nulls, GraphQL's own
fields, a read back over REST. What REST and GraphQL share (what is bought, changed,
refused, who may) is in tests/behaviour/, which checks every `userErrors` entry too."""

from __future__ import annotations

from typing import Any

from tests.graphql_helpers import (
    NUMBER_FIELDS,
    as_rest,
    data,
    make_application,
    post,
)
from tests.support.accounts import Credentials
from tests.support.rest import buy, number_path

ERRORS = "userErrors { field message code restcommCode }"
PURCHASE = f"""mutation($input: PurchaseNumberInput!) {{
  purchaseNumber(input: $input) {{ incomingPhoneNumber {{ {NUMBER_FIELDS} }} {ERRORS} }}
}}"""
UPDATE = f"""mutation($input: UpdateNumberInput!) {{
  updateNumber(input: $input) {{ incomingPhoneNumber {{ {NUMBER_FIELDS} }} {ERRORS} }}
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


async def test_purchase_answers_the_graphql_fields(client, admin: Credentials) -> None:
    toll_free = (await mutate(client, admin, PURCHASE, {"phoneNumber": "+18005550123", "type": "TOLL_FREE"}))
    node = toll_free["incomingPhoneNumber"]
    assert (node["type"], node["isSip"], node["id"]) == ("TOLL_FREE", False, node["sid"])
    sip = (await mutate(client, admin, PURCHASE, {"phoneNumber": "1234", "isSip": True}))["incomingPhoneNumber"]
    assert (sip["phoneNumber"], sip["type"], sip["isSip"]) == ("1234", "LOCAL", True)
    # In a purchase an explicit null is the same as leaving the input out.
    nulls = await mutate(client, admin, PURCHASE, {
        "phoneNumber": "+15105555555", "friendlyName": None, "voice": None, "sms": {"url": None, "method": None},
        "capabilities": {"fax": None},
    })
    assert nulls["userErrors"] == []
    assert as_rest(nulls["incomingPhoneNumber"]) == await rest_number(client, admin, nulls["incomingPhoneNumber"]["sid"])
    assert nulls["incomingPhoneNumber"]["friendlyName"] == "(510) 555-5555"
    assert nulls["incomingPhoneNumber"]["sms"]["method"] == "POST"
    assert nulls["incomingPhoneNumber"]["capabilities"]["fax"] is True


async def test_wrong_types_are_graphql_validation_errors(client, admin: Credentials) -> None:
    body = await post(client, admin, PURCHASE, {"input": {"phoneNumber": "+15105555555", "voice": {"method": "PUT"}}})
    assert body.get("data") is None and "HttpMethod" in body["errors"][0]["message"]


# -- Update ------------------------------------------------------------------------


async def test_update_null_where_a_value_is_needed(client, admin: Credentials) -> None:
    bought = await buy(client, admin, "+15105555555", FriendlyName="Before")
    error = only_error(await mutate(client, admin, UPDATE, {"sid": bought["sid"], "voice": {"callerIdLookup": None}}))
    assert (error["field"], error["code"]) == (["input", "voice", "callerIdLookup"], "INVALID_PARAMETER")
    assert await rest_number(client, admin, bought["sid"]) == bought


# -- Subaccounts -------------------------------------------------------------------


async def test_create_subaccount_answers_the_graphql_fields(client, admin: Credentials) -> None:
    payload = await mutate(client, admin, CREATE_SUBACCOUNT, {"email": "New.User@Example.com", "role": "DEVELOPER"})
    assert payload["userErrors"] == []
    account = payload["account"]
    assert (account["email"], account["role"], account["parent"]) == ("new.user@example.com", "DEVELOPER", {"sid": admin.sid})
    new = Credentials(account["sid"], payload["authToken"], account["email"])
    assert (await data(client, new, "{ viewer { sid } }"))["viewer"]["sid"] == account["sid"]
    # REST sees it too.
    response = await client.get(f"/restcomm/2012-04-24/Accounts/{account['sid']}.json", auth=admin.auth)
    assert response.status_code == 200, response.text
    rest = response.json()
    assert (rest["email_address"], rest["role"], rest["parent_sid"]) == ("new.user@example.com", "Developer", admin.sid)
    # A refusal about the caller, not an input, has no field.
    payload = await mutate(client, new, CREATE_SUBACCOUNT, {"email": "x@example.com"})
    assert payload["account"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"], error["restcommCode"]) == (None, "FORBIDDEN", 20403)
