"""REST Applications, one at a time: GET, POST/PUT to rename, DELETE, in JSON and XML as
the other resources render, with the account-tree rules. That a delete clears the
application from every number is a behaviour of both front-ends:
tests/behaviour/test_applications.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from tests.support.accounts import Credentials
from tests.support.rest import assert_error

ACCOUNTS = "/restcomm/2012-04-24/Accounts"
APPLICATION_KEYS = ["sid", "account_sid", "friendly_name", "uri"]


def applications_path(account_sid: str, application_sid: str = "", suffix: str = ".json") -> str:
    return f"{ACCOUNTS}/{account_sid}/Applications{'/' + application_sid if application_sid else ''}{suffix}"


async def create(client: httpx.AsyncClient, who: Credentials, account_sid: str, name: str) -> dict[str, str]:
    response = await client.post(applications_path(account_sid), data={"FriendlyName": name}, auth=who.auth)
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


def xml_application(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"].startswith("application/xml"), response.headers
    root = ET.fromstring(response.content)
    assert root.tag == "RestcommResponse"
    [element] = list(root)
    assert element.tag == "Application"
    return dict(element.attrib)


async def test_read_rename_and_delete_one_application(client: httpx.AsyncClient, admin: Credentials) -> None:
    created = await create(client, admin, admin.sid, "IVR")
    path = applications_path(admin.sid, created["sid"])
    read = await client.get(path, auth=admin.auth)
    assert read.status_code == 200 and read.json() == created and list(read.json()) == APPLICATION_KEYS
    assert created["uri"] == f"/2012-04-24/Accounts/{admin.sid}/Applications/{created['sid']}.json"
    # Without .json the Accept header decides, XML by default: attributes, as the list renders them.
    as_xml = xml_application(await client.get(applications_path(admin.sid, created["sid"], ""), auth=admin.auth))
    assert as_xml == {"sid": created["sid"], "account_sid": admin.sid, "friendly_name": "IVR"}

    for method, name in (("POST", "Front desk"), ("PUT", "Night line & more")):
        changed = await client.request(method, path, data={"FriendlyName": name}, auth=admin.auth)
        assert changed.status_code == 200, changed.text
        assert changed.json() == {**created, "friendly_name": name}
    assert (await client.get(path, auth=admin.auth)).json()["friendly_name"] == "Night line & more"
    # Nothing given: unchanged. An invalid name: refused, naming the parameter.
    assert (await client.post(path, data={}, auth=admin.auth)).json()["friendly_name"] == "Night line & more"
    assert_error(await client.post(path, data={"FriendlyName": "x" * 65}, auth=admin.auth), 400, 20001, "FriendlyName")
    renamed_xml = await client.post(applications_path(admin.sid, created["sid"], ""), data={"FriendlyName": "A < B"},
                                    auth=admin.auth)
    assert xml_application(renamed_xml)["friendly_name"] == "A < B"

    deleted = await client.delete(path, auth=admin.auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(await client.get(path, auth=admin.auth), 404, 20404, created["sid"])
    assert_error(await client.delete(path, auth=admin.auth), 404, 20404)
    assert (await client.get(applications_path(admin.sid), auth=admin.auth)).json() == []
    options = await client.options(path)
    assert options.status_code == 204 and options.headers["allow"] == "GET, POST, PUT, DELETE, HEAD, OPTIONS"


async def test_who_may_read_change_and_delete(client: httpx.AsyncClient, admin: Credentials, make_account) -> None:
    child = await make_account(admin, role="Developer")
    stranger = await make_account(None)
    parents = await create(client, admin, admin.sid, "Parent's")
    childs = await create(client, child, child.sid, "Child's")

    # The parent acts on its subaccount's application, under the subaccount's URL only.
    assert (await client.get(applications_path(child.sid, childs["sid"]), auth=admin.auth)).json() == childs
    assert_error(await client.get(applications_path(admin.sid, childs["sid"]), auth=admin.auth), 404, 20404,
                 f"in account {admin.sid}")
    renamed = await client.post(applications_path(child.sid, childs["sid"]), data={"FriendlyName": "By parent"},
                                auth=admin.auth)
    assert renamed.json()["friendly_name"] == "By parent"
    # Never the other way round, nor across organizations: 403 on the account in the URL.
    for who, account, application in ((child, admin.sid, parents["sid"]), (stranger, admin.sid, parents["sid"]),
                                      (stranger, child.sid, childs["sid"])):
        path = applications_path(account, application)
        for method in ("GET", "POST", "DELETE"):
            assert_error(await client.request(method, path, auth=who.auth), 403, 20403, account)
    # Its own URL does not reach another account's application either.
    assert_error(await client.delete(applications_path(child.sid, parents["sid"]), auth=child.auth), 404, 20404)
    assert (await client.get(applications_path(admin.sid, parents["sid"]), auth=admin.auth)).status_code == 200

    # A suspended subaccount's applications are read, not changed.
    suspended = await client.post(f"{ACCOUNTS}/{child.sid}.json", data={"Status": "suspended"}, auth=admin.auth)
    assert suspended.status_code == 200, suspended.text
    path = applications_path(child.sid, childs["sid"])
    assert (await client.get(path, auth=admin.auth)).status_code == 200
    assert_error(await client.post(path, data={"FriendlyName": "x"}, auth=admin.auth), 403, 20403, "suspended")
    assert_error(await client.delete(path, auth=admin.auth), 403, 20403, "suspended")
    assert_error(await client.get(applications_path(admin.sid, "APnope"), auth=admin.auth), 404, 20404)
