"""Applications in GraphQL: what only GraphQL says about them. createApplication for the
viewer or a subaccount, updateApplication, deleteApplication's payload (the application
as it was, how many numbers it was cleared from) and userErrors at their input fields.
The behaviour both front-ends share is tests/behaviour/test_applications.py."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from tests.graphql_helpers import data
from tests.support.accounts import Credentials
from tests.support.graph import add_numbers

ERRORS = "userErrors { field message code restcommCode }"
CREATE = f"""mutation($input: CreateApplicationInput!) {{
  createApplication(input: $input) {{ application {{ id sid friendlyName account {{ sid }} }} {ERRORS} }}
}}"""
UPDATE = f"""mutation($input: UpdateApplicationInput!) {{
  updateApplication(input: $input) {{ application {{ sid friendlyName dateUpdated }} {ERRORS} }}
}}"""
DELETE = f"""mutation($input: DeleteApplicationInput!) {{
  deleteApplication(input: $input) {{
    deletedSid clearedIncomingPhoneNumberCount
    application {{ sid friendlyName incomingPhoneNumbers {{ totalCount }} }}
    {ERRORS}
  }}
}}"""


async def mutate(client: httpx.AsyncClient, who: Credentials, mutation: str, name: str, **inputs: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await data(client, who, mutation, {"input": inputs}))[name]
    return payload


async def test_create_update_and_delete(client: httpx.AsyncClient, app: Starlette, admin: Credentials,
                                        make_account: Any) -> None:
    child = await make_account(admin, role="Developer")
    created = await mutate(client, admin, CREATE, "createApplication", friendlyName="IVR")
    application = created["application"]
    assert created["userErrors"] == [] and application["id"] == application["sid"]
    assert (application["friendlyName"], application["account"]) == ("IVR", {"sid": admin.sid})
    # For a subaccount: it owns the application, and its parent reads it.
    for_child = (await mutate(client, admin, CREATE, "createApplication", accountSid=child.sid,
                              friendlyName="Child's"))["application"]
    assert for_child["account"] == {"sid": child.sid}
    listed = await data(client, admin, "query($s: ID!) { account(sid: $s) { applications { nodes { sid } } } }",
                        {"s": child.sid})
    assert listed["account"]["applications"]["nodes"] == [{"sid": for_child["sid"]}]

    renamed = await mutate(client, admin, UPDATE, "updateApplication", sid=application["sid"], friendlyName="Desk")
    assert renamed["userErrors"] == [] and renamed["application"]["friendlyName"] == "Desk"
    unchanged = await mutate(client, admin, UPDATE, "updateApplication", sid=application["sid"])
    assert unchanged["application"] == renamed["application"]

    # Three numbers use it (one in two families, one in a subaccount): cleared from all three.
    database = app.state.database
    await add_numbers(database, admin.sid, 1, settings={"voice_application_sid": application["sid"],
                                                        "sms_application_sid": application["sid"]})
    await add_numbers(database, admin.sid, 1, start=1, settings={"refer_application_sid": application["sid"]})
    await add_numbers(database, child.sid, 1, start=2, settings={"ussd_application_sid": application["sid"]})
    deleted = await mutate(client, admin, DELETE, "deleteApplication", sid=application["sid"])
    assert deleted == {
        "deletedSid": application["sid"], "clearedIncomingPhoneNumberCount": 3, "userErrors": [],
        "application": {"sid": application["sid"], "friendlyName": "Desk", "incomingPhoneNumbers": {"totalCount": 0}},
    }
    assert (await data(client, admin, "query($s: ID!) { node(id: $s) { id } }", {"s": application["sid"]}))["node"] is None
    routes = await data(client, admin, "{ viewer { subaccounts(first: 5) { nodes { incomingPhoneNumbers { nodes { ussd { applicationSid } } } } }"
                                       " incomingPhoneNumbers { nodes { voice { applicationSid } sms { applicationSid }"
                                       " refer { applicationSid application { sid } } } } } }")
    viewer = routes["viewer"]
    assert viewer["incomingPhoneNumbers"]["nodes"] == [
        {"voice": {"applicationSid": None}, "sms": {"applicationSid": None},
         "refer": {"applicationSid": None, "application": None}},
    ] * 2
    assert viewer["subaccounts"]["nodes"] == [{"incomingPhoneNumbers": {"nodes": [{"ussd": {"applicationSid": None}}]}}]


async def test_user_errors_name_the_input(client: httpx.AsyncClient, admin: Credentials, make_account: Any) -> None:
    child = await make_account(admin, role="Developer")
    stranger = await make_account(None)
    parents = (await mutate(client, admin, CREATE, "createApplication", friendlyName="Parent's"))["application"]

    def only_error(payload: dict[str, Any]) -> dict[str, Any]:
        assert payload["application"] is None, payload
        [error] = payload["userErrors"]
        found: dict[str, Any] = error
        return found

    empty = only_error(await mutate(client, admin, CREATE, "createApplication", friendlyName=" "))
    assert empty == {"field": ["input", "friendlyName"], "message": "friendlyName must not be empty",
                     "code": "INVALID_PARAMETER", "restcommCode": 20001}
    # An account out of reach is not found, as a number is (never "forbidden": no sid is confirmed).
    above = only_error(await mutate(client, child, CREATE, "createApplication", accountSid=admin.sid, friendlyName="x"))
    assert (above["field"], above["code"]) == (["input", "accountSid"], "NOT_FOUND")
    for who in (child, stranger):
        for refused in (await mutate(client, who, UPDATE, "updateApplication", sid=parents["sid"], friendlyName="Mine"),
                        await mutate(client, who, DELETE, "deleteApplication", sid=parents["sid"])):
            error = only_error(refused)
            assert (error["field"], error["code"], error["restcommCode"]) == (["input", "sid"], "NOT_FOUND", 20404)
    nonsense = only_error(await mutate(client, admin, DELETE, "deleteApplication", sid="nonsense"))
    assert nonsense["code"] == "NOT_FOUND" and "nonsense" in nonsense["message"]
    # Still there, unchanged.
    node = await data(client, admin, "query($s: ID!) { node(id: $s) { ... on Application { friendlyName } } }",
                      {"s": parents["sid"]})
    assert node["node"] == {"friendlyName": "Parent's"}
