"""REST accounts (POST/GET /Accounts, GET /Accounts/{Sid}) and Applications."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import DATE, assert_error

ACCOUNTS = "/restcomm/2012-04-24/Accounts"
ACCOUNT_KEYS = ["sid", "friendly_name", "email_address", "status", "type", "role", "parent_sid",
                "date_created", "date_updated", "uri", "subresource_uris"]
ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")


async def create(client, caller: Credentials, **data: str) -> dict:
    response = await client.post(f"{ACCOUNTS}.json", data=data, auth=caller.auth)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_create_and_read_subaccounts(client, admin: Credentials) -> None:
    created = await create(client, admin, EmailAddress="Dev@Example.COM", FriendlyName="Dev", Password="s3cretpassword")
    assert list(created) == ACCOUNT_KEYS[:9] + ["auth_token"] + ACCOUNT_KEYS[9:]
    assert ACCOUNT_SID.match(created["sid"])
    assert (created["friendly_name"], created["email_address"], created["status"], created["role"]) == (
        "Dev", "dev@example.com", "active", "Developer")
    assert created["parent_sid"] == admin.sid and created["type"] == "Full"
    assert DATE.match(created["date_created"]) and DATE.match(created["date_updated"])
    assert created["uri"] == f"/2012-04-24/Accounts/{created['sid']}.json"
    assert created["subresource_uris"] == {
        "incoming_phone_numbers": f"/2012-04-24/Accounts/{created['sid']}/IncomingPhoneNumbers.json"}
    # Restcomm's convention: the token is the MD5 of the password; both log in
    assert created["auth_token"] == hashlib.md5(b"s3cretpassword").hexdigest()
    for secret in (created["auth_token"], "s3cretpassword"):
        for username in (created["sid"], "dev@example.com"):
            response = await client.get(f"{ACCOUNTS}/{created['sid']}.json", auth=(username, secret))
            assert response.status_code == 200, (username, secret)
    # read back: the token is never shown again
    read = (await client.get(f"{ACCOUNTS}/{created['sid']}.json", auth=admin.auth)).json()
    assert list(read) == ACCOUNT_KEYS
    assert {k: v for k, v in created.items() if k != "auth_token"} == read

    # no password: a random token, shown once
    admin_role = await create(client, admin, EmailAddress="ops@example.com", Role="administrator")
    assert admin_role["role"] == "Administrator" and re.fullmatch(r"[0-9a-f]{32}", admin_role["auth_token"])
    assert admin_role["friendly_name"] == "ops@example.com"
    ops = Credentials(admin_role["sid"], admin_role["auth_token"], "ops@example.com")
    # an Administrator subaccount creates its own children
    grandchild = await create(client, ops, EmailAddress="gc@example.com")
    assert grandchild["parent_sid"] == ops.sid

    # GET /Accounts: the caller's own subtree, parents first
    everyone = (await client.get(f"{ACCOUNTS}.json", auth=admin.auth)).json()
    assert [a["sid"] for a in everyone][0] == admin.sid
    assert {a["sid"] for a in everyone} == {admin.sid, created["sid"], ops.sid, grandchild["sid"]}
    assert all("auth_token" not in a for a in everyone)
    mine = (await client.get(f"{ACCOUNTS}.json", auth=ops.auth)).json()
    assert [a["sid"] for a in mine] == [ops.sid, grandchild["sid"]]
    assert_error(await client.get(f"{ACCOUNTS}/{admin.sid}.json", auth=ops.auth), 403, 20403)
    assert_error(await client.get(f"{ACCOUNTS}/{created['sid']}.json", auth=ops.auth), 403, 20403)

    # the bootstrap account
    root = (await client.get(f"{ACCOUNTS}/{admin.sid}.json", auth=admin.auth)).json()
    assert (root["email_address"], root["role"], root["parent_sid"]) == ("administrator@company.com", "Administrator", None)

    # XML
    response = await client.get(f"{ACCOUNTS}/{ops.sid}", auth=admin.auth)
    account = ET.fromstring(response.content)
    assert account.tag == "RestcommResponse" and account[0].tag == "Account"
    assert [c.tag for c in account[0]] == ["Sid", "FriendlyName", "EmailAddress", "Status", "Type", "Role",
                                           "ParentSid", "DateCreated", "DateUpdated", "Uri"]
    assert account[0].findtext("Uri") == f"/2012-04-24/Accounts/{ops.sid}"
    listing = ET.fromstring((await client.get(ACCOUNTS, auth=ops.auth)).content)
    assert [a.findtext("Sid") for a in listing.find("Accounts")] == [ops.sid, grandchild["sid"]]  # type: ignore[union-attr]
    response = await client.post(ACCOUNTS, data={"EmailAddress": "xml@example.com"}, auth=admin.auth)
    assert response.status_code == 201 and ET.fromstring(response.content).findtext("Account/AuthToken")


async def test_create_subaccount_errors(client, admin: Credentials) -> None:
    await create(client, admin, EmailAddress="taken@example.com")
    # What a form can leave out or send that GraphQL's types refuse before any resolver
    # runs; the refusals both share are in tests/behaviour/test_subaccounts.py.
    cases = [
        ({}, 400, 20001, "EmailAddress"),
        ({"EmailAddress": "new@example.com", "Role": "Owner"}, 400, 20001, "Role"),
    ]
    for data, status, code, name in cases:
        assert_error(await client.post(f"{ACCOUNTS}.json", data=data, auth=admin.auth), status, code, name)
    assert_error(await client.post(f"{ACCOUNTS}.json", data={"EmailAddress": "new@example.com"}), 401, 20003)
    everyone = (await client.get(f"{ACCOUNTS}.json", auth=admin.auth)).json()
    assert "new@example.com" not in [a["email_address"] for a in everyone]
    assert_error(await client.get(f"{ACCOUNTS}/ACnope.json", auth=admin.auth), 404, 20404)


async def test_applications(client, admin: Credentials, make_account) -> None:
    child = await make_account(admin, role="Developer")
    path = f"{ACCOUNTS}/{child.sid}/Applications.json"
    # a Developer may create applications for itself; its parent may too
    mine = (await client.post(path, data={"FriendlyName": "Mine"}, auth=child.auth))
    assert mine.status_code == 201, mine.text
    app = mine.json()
    assert list(app) == ["sid", "account_sid", "friendly_name", "uri"]
    assert re.fullmatch(r"AP[0-9a-f]{32}", app["sid"])
    assert (app["account_sid"], app["friendly_name"]) == (child.sid, "Mine")
    assert app["uri"] == f"/2012-04-24/Accounts/{child.sid}/Applications/{app['sid']}.json"
    from_parent = (await client.post(path, data={"FriendlyName": "From parent"}, auth=admin.auth)).json()
    listed = (await client.get(path, auth=child.auth)).json()
    assert sorted(a["sid"] for a in listed) == sorted([app["sid"], from_parent["sid"]])
    assert (await client.get(f"{ACCOUNTS}/{admin.sid}/Applications.json", auth=admin.auth)).json() == []

    for data, name in (({}, "FriendlyName"), ({"FriendlyName": " "}, "FriendlyName"),
                       ({"FriendlyName": "f" * 65}, "FriendlyName")):
        assert_error(await client.post(path, data=data, auth=child.auth), 400, 20001, name)
    assert_error(await client.post(f"{ACCOUNTS}/{admin.sid}/Applications.json", data={"FriendlyName": "x"},
                                   auth=child.auth), 403, 20403)
    assert_error(await client.get(f"{ACCOUNTS}/{admin.sid}/Applications.json", auth=child.auth), 403, 20403)

    xml = ET.fromstring((await client.get(f"{ACCOUNTS}/{child.sid}/Applications", auth=child.auth)).content)
    assert sorted(a.get("sid") for a in xml.find("Applications")) == sorted([app["sid"], from_parent["sid"]])  # type: ignore[union-attr,type-var]
    # the application is usable on the account's numbers
    number = await client.post(numbers_path(child.sid, ".json"),
                               data={"PhoneNumber": "+15105555555", "VoiceApplicationSid": app["sid"]}, auth=child.auth)
    assert number.json()["voice_application_name"] == "Mine"
