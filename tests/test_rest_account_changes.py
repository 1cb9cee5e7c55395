"""What only REST does when an account changes: Restcomm's parameters in any case, a new
Password as a new auth token (its MD5), the representation in JSON and XML, API keys'
resources. The behaviour REST and GraphQL share is in tests/behaviour/test_account_status.py."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from tests.support.accounts import Credentials
from tests.support.rest import account_path, assert_error

ACCOUNT_KEYS = ["sid", "friendly_name", "email_address", "status", "type", "role", "parent_sid",
                "date_created", "date_updated", "uri", "subresource_uris"]


async def test_status_in_any_case_put_as_post_and_xml(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    response = await client.put(account_path(child.sid, ".json"), data={"Status": " Suspended "}, auth=admin.auth)
    assert response.status_code == 200, response.text
    assert list(response.json()) == ACCOUNT_KEYS and response.json()["status"] == "suspended"
    response = await client.post(account_path(child.sid), data={"Status": "active", "FriendlyName": "Back"},
                                 auth=admin.auth)
    account = ET.fromstring(response.content).find("Account")
    assert account is not None and (account.findtext("Status"), account.findtext("FriendlyName")) == ("active", "Back")
    for data, name in (({"Status": "paused"}, "Status"), ({"Status": ""}, "Status"),
                       ({"FriendlyName": ""}, "FriendlyName"), ({"Password": "short"}, "Password")):
        assert_error(await client.post(account_path(child.sid, ".json"), data=data, auth=admin.auth), 400, 20001, name)
    assert (await client.get(account_path(child.sid, ".json"), auth=admin.auth)).json()["status"] == "active"


async def test_a_new_password_is_a_new_token_at_once(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    response = await client.post(account_path(child.sid, ".json"), data={"Password": "n3w-passw0rd"}, auth=child.auth)
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert list(rotated) == ACCOUNT_KEYS[:9] + ["auth_token"] + ACCOUNT_KEYS[9:]
    assert rotated["auth_token"] == hashlib.md5(b"n3w-passw0rd").hexdigest()  # Restcomm's rule
    path = account_path(child.sid, ".json")
    assert_error(await client.get(path, auth=child.auth), 401, 20003)  # the old token: refused at once
    for auth in ((child.sid, rotated["auth_token"]), (child.email, "n3w-passw0rd")):
        assert (await client.get(path, auth=auth)).status_code == 200
    assert "auth_token" not in (await client.get(path, auth=admin.auth)).json()  # shown once
    # An Administrator ancestor may set it; a Developer ancestor may not.
    developer = await make_account(admin, role="Developer")
    below = await make_account(developer)
    assert_error(await client.post(account_path(below.sid, ".json"), data={"Password": "x" * 10}, auth=developer.auth),
                 403, 20403, "Administrator")
    assert (await client.post(account_path(below.sid, ".json"), data={"Password": "x" * 10}, auth=admin.auth)).status_code == 200


async def test_key_resources(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin)
    keys = account_path(child.sid, "/Keys")
    response = await client.post(f"{keys}.json", data={"FriendlyName": "ci"}, auth=child.auth)
    assert response.status_code == 201, response.text
    created = response.json()
    assert list(created) == ["sid", "friendly_name", "date_created", "date_updated", "secret", "uri"]
    assert created["uri"] == f"/2012-04-24/Accounts/{child.sid}/Keys/{created['sid']}.json"
    default = (await client.post(f"{keys}.json", auth=child.auth)).json()
    assert default["friendly_name"] == "API key"
    listed = (await client.get(f"{keys}.json", auth=child.auth)).json()
    assert {k["sid"] for k in listed} == {created["sid"], default["sid"]} and all("secret" not in k for k in listed)
    one = await client.get(f"{keys}/{created['sid']}.json", auth=admin.auth)
    assert one.json() == {k: v for k, v in created.items() if k != "secret"}
    xml = ET.fromstring((await client.get(keys, auth=child.auth)).content)
    assert [k.findtext("Sid") for k in xml.iter("Key")] == [k["sid"] for k in listed]
    # The key signs in as its account; a key of another account is not found under this one.
    as_key = (created["sid"], created["secret"])
    assert (await client.get(account_path(child.sid, "/IncomingPhoneNumbers.json"), auth=as_key)).status_code == 200
    assert_error(await client.get(f"{keys}.json", auth=as_key), 403, 20403, "API key")
    sibling = await make_account(admin)
    assert_error(await client.get(account_path(sibling.sid, f"/Keys/{created['sid']}.json"), auth=admin.auth), 404, 20404)
    assert_error(await client.delete(f"{keys}/SK{'0' * 32}.json", auth=child.auth), 404, 20404)
    response = await client.delete(f"{keys}/{created['sid']}.json", auth=child.auth)
    assert response.status_code == 204 and response.content == b""
    assert_error(await client.get(account_path(child.sid, ".json"), auth=as_key), 401, 20003)
