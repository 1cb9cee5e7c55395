"""What only GraphQL does when an account changes: rotateAuthToken, Account.apiKeys, and
what updateAccount's payload says about a closing. The shared behaviour is in
tests/behaviour/test_account_status.py."""

from __future__ import annotations

from tests.graphql_helpers import data, post
from tests.support.accounts import Credentials
from tests.support.rest import buy

ERRORS = "userErrors { field message code restcommCode }"
ROTATE = f"mutation($sid: ID!) {{ rotateAuthToken(input: {{sid: $sid}}) {{ account {{ sid }} authToken {ERRORS} }} }}"
CLOSE = f"""mutation($sid: ID!) {{ updateAccount(input: {{sid: $sid, status: CLOSED}}) {{
  account {{ status }} releasedPhoneNumbers phoneNumbersLeft {ERRORS} }} }}"""
KEYS = "query($sid: ID!) { account(sid: $sid) { apiKeys { sid friendlyName dateCreated } } }"


async def test_rotate_auth_token(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    payload = (await data(client, admin, ROTATE, {"sid": child.sid}))["rotateAuthToken"]
    assert payload["userErrors"] == [] and payload["account"] == {"sid": child.sid}
    token = payload["authToken"]
    assert len(token) == 32 and token != child.token
    assert (await post(client, child, "{ viewer { sid } }", status=401))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    rotated = Credentials(child.sid, token, child.email)
    assert (await data(client, rotated, "{ viewer { sid } }"))["viewer"]["sid"] == child.sid
    # The account itself may; nobody outside its ancestors sees it to try.
    assert (await data(client, rotated, ROTATE, {"sid": child.sid}))["rotateAuthToken"]["authToken"]
    sibling = await make_account(admin)
    [error] = (await data(client, sibling, ROTATE, {"sid": child.sid}))["rotateAuthToken"]["userErrors"]
    assert (error["field"], error["code"]) == (["input", "sid"], "NOT_FOUND")


async def test_api_keys_are_listed_to_who_manages_them(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    created = (await data(client, child, """mutation($sid: ID!) {
      createApiKey(input: {accountSid: $sid, friendlyName: "ci"}) { apiKey { sid } secret userErrors { code } } }""",
                          {"sid": child.sid}))["createApiKey"]
    expected = [{"sid": created["apiKey"]["sid"], "friendlyName": "ci"}]
    for who in (child, admin):
        keys = (await data(client, who, KEYS, {"sid": child.sid}))["account"]["apiKeys"]
        assert [{k: key[k] for k in ("sid", "friendlyName")} for key in keys] == expected
    developer = await make_account(admin, role="Developer")
    below = await make_account(developer)
    assert (await data(client, developer, KEYS, {"sid": below.sid}))["account"]["apiKeys"] is None
    as_key = Credentials(child.sid, created["secret"], child.email, login_sid=created["apiKey"]["sid"])
    assert (await data(client, as_key, KEYS, {"sid": child.sid}))["account"]["apiKeys"] is None


async def test_close_says_what_was_released(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    await buy(client, admin, "+15105555555", account_sid=child.sid)
    await buy(client, admin, "+15005550002", account_sid=child.sid)  # the sandbox's release always fails
    payload = (await data(client, admin, CLOSE, {"sid": child.sid}))["updateAccount"]
    assert payload == {"account": {"status": "CLOSED"}, "releasedPhoneNumbers": ["+15105555555"],
                       "phoneNumbersLeft": ["+15005550002"], "userErrors": []}
    # Closing again answers what is still left.
    again = (await data(client, admin, CLOSE, {"sid": child.sid}))["updateAccount"]
    assert again["releasedPhoneNumbers"] == [] and again["phoneNumbersLeft"] == ["+15005550002"]
