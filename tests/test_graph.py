"""The graph (issue "A graph"): an account's numbers, subaccounts and applications, and an
application's numbers, as connections with the root list's cursors, paging and limits,
and REST's visibility (an account sees itself and its descendants, never above)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.graphql.connection import encode_cursor
from gateway.services.listing import SortKey
from tests.graphql_helpers import data, number, post
from tests.support.accounts import Credentials
from tests.support.graph import add_applications, add_numbers, add_subaccounts

PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

ACCOUNT_NUMBERS = f"""query($sid: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
  account(sid: $sid) {{
    incomingPhoneNumbers(first: $first, after: $after, last: $last, before: $before) {{
      totalCount {PAGE_INFO} edges {{ cursor node {{ phoneNumber }} }}
    }}
  }}
}}"""

SUBACCOUNTS = f"""query($sid: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
  account(sid: $sid) {{
    subaccounts(first: $first, after: $after, last: $last, before: $before) {{
      totalCount {PAGE_INFO} edges {{ cursor node {{ sid }} }}
    }}
  }}
}}"""

APPLICATIONS = f"""query($sid: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
  account(sid: $sid) {{
    applications(first: $first, after: $after, last: $last, before: $before) {{
      totalCount {PAGE_INFO} edges {{ cursor node {{ friendlyName }} }}
    }}
  }}
}}"""

APPLICATION_NUMBERS = f"""query($sid: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
  node(id: $sid) {{
    ... on Application {{
      incomingPhoneNumbers(first: $first, after: $after, last: $last, before: $before) {{
        totalCount {PAGE_INFO} edges {{ cursor node {{ phoneNumber }} }}
      }}
    }}
  }}
}}"""


async def walk(
    client: httpx.AsyncClient, who: Credentials, query: str, sid: str, path: tuple[str, ...], label: str, size: int,
) -> list[str]:
    """Page through a connection forward and backward, `size` at a time, checking the
    paging flags and cursors on the way; the items' `label` in list order."""

    async def page(**variables: Any) -> dict[str, Any]:
        found: Any = await data(client, who, query, {"sid": sid, **variables})
        for key in path:
            found = found[key]
        result: dict[str, Any] = found
        return result

    forward: list[str] = []
    after, total, pages = None, None, 0
    while True:
        result = await page(first=size, after=after)
        total = result["totalCount"]
        labels = [edge["node"][label] for edge in result["edges"]]
        forward += labels
        info = result["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None), info
        if labels:
            assert (info["startCursor"], info["endCursor"]) == (result["edges"][0]["cursor"], result["edges"][-1]["cursor"])
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert total == len(forward) and pages == max(1, -(-total // size))

    backward: list[str] = []
    before = None
    while True:
        result = await page(last=size, before=before)
        backward = [edge["node"][label] for edge in result["edges"]] + backward
        info = result["pageInfo"]
        assert info["hasNextPage"] is (before is not None), info
        if not info["hasPreviousPage"]:
            break
        before = info["startCursor"]
    assert backward == forward
    return forward


async def test_account_numbers_page_both_ways_with_the_root_lists_cursors(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    database = app.state.database
    await add_numbers(database, admin.sid, 7)
    listed = await walk(client, admin, ACCOUNT_NUMBERS, admin.sid, ("account", "incomingPhoneNumbers"), "phoneNumber", 3)
    assert listed == [number(i) for i in range(7)]

    # A cursor of the nested list continues the root list of the same account, and back.
    nested = (await data(client, admin, ACCOUNT_NUMBERS, {"sid": admin.sid, "first": 2}))["account"]
    cursor = nested["incomingPhoneNumbers"]["edges"][-1]["cursor"]
    root = await data(client, admin, "query($a: String) { incomingPhoneNumbers(first: 2, after: $a) { edges { cursor node { phoneNumber } } } }",
                      {"a": cursor})
    assert [e["node"]["phoneNumber"] for e in root["incomingPhoneNumbers"]["edges"]] == [number(2), number(3)]
    again = await data(client, admin, ACCOUNT_NUMBERS,
                       {"sid": admin.sid, "first": 2, "after": root["incomingPhoneNumbers"]["edges"][-1]["cursor"]})
    assert [e["node"]["phoneNumber"] for e in again["account"]["incomingPhoneNumbers"]["edges"]] == [number(4), number(5)]


async def test_account_numbers_take_the_root_lists_filters(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    database = app.state.database
    await add_numbers(database, admin.sid, 3)
    await add_numbers(database, admin.sid, 1, start=20, settings={"number_type": "tollfree", "beta": True})

    async def listed(arguments: str) -> tuple[int, list[str]]:
        query = f"{{ viewer {{ incomingPhoneNumbers({arguments}) {{ totalCount nodes {{ phoneNumber }} }} }} }}"
        page = (await data(client, admin, query))["viewer"]["incomingPhoneNumbers"]
        return page["totalCount"], [n["phoneNumber"] for n in page["nodes"]]

    assert await listed("first: 10") == (4, [number(0), number(1), number(2), number(20)])
    assert await listed("type: TOLL_FREE") == (1, [number(20)])
    assert await listed("beta: false") == (3, [number(0), number(1), number(2)])
    assert await listed('phoneNumber: "555000*"') == (3, [number(0), number(1), number(2)])
    assert await listed('friendlyName: "(0001)"') == (1, [number(1)])


async def test_subaccounts_are_the_direct_children_oldest_first(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    database = app.state.database
    children = await add_subaccounts(database, admin, 5)
    await add_subaccounts(database, children[0], 2)  # grandchildren: not the admin's direct subaccounts
    listed = await walk(client, admin, SUBACCOUNTS, admin.sid, ("account", "subaccounts"), "sid", 2)
    assert listed == [child.sid for child in children]
    # A subaccount pages its own children.
    grandchildren = await walk(client, children[0], SUBACCOUNTS, children[0].sid, ("account", "subaccounts"), "sid", 1)
    assert len(grandchildren) == 2 and not set(grandchildren) & set(listed)
    # The same second: ordered by sid, stably.
    twins = await add_subaccounts(database, children[1], 1) + await add_subaccounts(database, children[1], 1)
    same_second = await walk(client, admin, SUBACCOUNTS, children[1].sid, ("account", "subaccounts"), "sid", 1)
    assert same_second == sorted(t.sid for t in twins)


async def test_applications_and_the_numbers_routed_to_each(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    database = app.state.database
    ivr, fax, idle = await add_applications(database, admin.sid, ["IVR", "Fax", "Idle"])
    listed = await walk(client, admin, APPLICATIONS, admin.sid, ("account", "applications"), "friendlyName", 2)
    assert listed == ["IVR", "Fax", "Idle"]

    # One number per family, one routing voice and sms to IVR (listed once), one to Fax only.
    child = (await add_subaccounts(database, admin, 1))[0]
    await add_numbers(database, admin.sid, 1, start=0, settings={"voice_application_sid": ivr})
    await add_numbers(database, child.sid, 1, start=1, settings={"sms_application_sid": ivr})
    await add_numbers(database, admin.sid, 1, start=2, settings={"ussd_application_sid": ivr})
    await add_numbers(database, admin.sid, 1, start=3, settings={"refer_application_sid": ivr})
    await add_numbers(database, admin.sid, 1, start=4, settings={"voice_application_sid": ivr, "sms_application_sid": ivr})
    await add_numbers(database, admin.sid, 1, start=5, settings={"voice_application_sid": fax})
    routed = await walk(client, admin, APPLICATION_NUMBERS, ivr, ("node", "incomingPhoneNumbers"), "phoneNumber", 2)
    assert routed == [number(i) for i in range(5)]
    assert await walk(client, admin, APPLICATION_NUMBERS, fax, ("node", "incomingPhoneNumbers"), "phoneNumber", 2) == [number(5)]
    assert await walk(client, admin, APPLICATION_NUMBERS, idle, ("node", "incomingPhoneNumbers"), "phoneNumber", 2) == []

    # The application as a node, and through a number's route.
    query = ("query($s: ID!) { node(id: $s) { __typename id ... on Application { sid friendlyName dateCreated "
             "account { sid } } } }")
    node = (await data(client, admin, query, {"s": ivr}))["node"]
    assert node == {"__typename": "Application", "id": ivr, "sid": ivr, "friendlyName": "IVR",
                    "dateCreated": "2026-01-01T12:00:00+00:00", "account": {"sid": admin.sid}}


async def test_a_subaccount_sees_its_own_part_of_the_graph_only(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials, make_account: Any,
) -> None:
    database = app.state.database
    [ivr] = await add_applications(database, admin.sid, ["Parent's IVR"])
    child = (await add_subaccounts(database, admin, 1))[0]
    [sibling] = await add_subaccounts(database, admin, 1)
    await add_numbers(database, admin.sid, 2, settings={"voice_application_sid": ivr})
    await add_numbers(database, child.sid, 1, start=10, settings={"voice_application_sid": ivr})
    await add_numbers(database, sibling.sid, 1, start=20, settings={"voice_application_sid": ivr})

    # Not the parent: neither as an account nor as the owner of an application.
    assert (await data(client, child, "query($s: ID!) { account(sid: $s) { sid } }", {"s": admin.sid}))["account"] is None
    assert (await data(client, child, "query($s: ID!) { node(id: $s) { id } }", {"s": ivr}))["node"] is None
    mine = await data(client, child, """{ viewer { parent { sid } subaccounts { totalCount }
        incomingPhoneNumbers(first: 10) { nodes { phoneNumber voice { application {
          friendlyName account { sid } incomingPhoneNumbers { totalCount nodes { phoneNumber } } } } } } } }""")
    viewer = mine["viewer"]
    assert viewer["parent"] is None and viewer["subaccounts"]["totalCount"] == 0
    [own] = viewer["incomingPhoneNumbers"]["nodes"]
    # The parent's application reached through its own number: named, ownerless, and only
    # its own numbers under it (not the parent's, not the sibling's).
    assert own["voice"]["application"] == {
        "friendlyName": "Parent's IVR", "account": None,
        "incomingPhoneNumbers": {"totalCount": 1, "nodes": [{"phoneNumber": number(10)}]},
    }
    # The parent sees all four, and its subaccounts' own lists.
    routed = await data(client, admin, APPLICATION_NUMBERS, {"sid": ivr})
    assert routed["node"]["incomingPhoneNumbers"]["totalCount"] == 4
    # Another organization sees none of it.
    stranger = await make_account(None)
    for sid in (admin.sid, child.sid, ivr):
        assert (await data(client, stranger, "query($s: ID!) { node(id: $s) { id } }", {"s": sid}))["node"] is None


@pytest.mark.one_database
async def test_page_arguments_are_checked_as_the_root_lists(client: httpx.AsyncClient, admin: Credentials) -> None:
    number_cursor = encode_cursor(SortKey("+15105550000", "PN" + "0" * 32))
    forged = base64.urlsafe_b64encode(json.dumps(["c1", "2026-01-01T12:00:00+05:00", "AP" + "0" * 32]).encode()).decode()
    cases = [
        ("{ viewer { subaccounts(first: 101) { totalCount } } }", "first must be between 0 and 100"),
        ("{ viewer { applications(last: -1) { totalCount } } }", "last must be between 0 and 100"),
        ("{ viewer { incomingPhoneNumbers(first: 1, last: 1) { totalCount } } }", "give first or last, not both"),
        ('{ viewer { subaccounts(after: "nonsense") { totalCount } } }', "after is not a cursor of this connection"),
        # A forged creation cursor with a UTC offset: rows hold naive UTC, no cursor has one.
        (f'{{ viewer {{ applications(after: "{forged}") {{ totalCount }} }} }}', "after is not a cursor of this connection"),
        # A numbers cursor is no cursor of the subaccounts (another order, another kind of sid).
        (f'{{ viewer {{ subaccounts(before: "{number_cursor}") {{ totalCount }} }} }}',
         "before is not a cursor of this connection"),
    ]
    for query, message in cases:
        body = await post(client, admin, query)
        assert body["data"] is None, body
        [error] = body["errors"]
        assert message in error["message"], (query, error)
        assert error["extensions"]["code"] == "INVALID_PARAMETER"
