"""Nested pages cost a constant number of SQL statements: a page of subaccounts, each with
its first five numbers and their applications, its own applications and the numbers
routed to those, costs the same for 5 subaccounts as for 50, forward and after a cursor,
on SQLite and on PostgreSQL (statements counted at the engine, as bench/run.py does)."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from tests.graphql_helpers import count_statements, data, number
from tests.support.accounts import Credentials
from tests.support.graph import add_applications, add_numbers, add_subaccounts

NESTED = """query($first: Int!, $after: String) {
  viewer {
    subaccounts(first: $first) {
      totalCount
      edges { cursor node {
        sid
        incomingPhoneNumbers(first: 5, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { phoneNumber voice { application { friendlyName } } sms { application { sid } } } }
        }
        applications(first: 2) { nodes { friendlyName incomingPhoneNumbers(first: 3) { nodes { sid } } } }
      } }
    }
  }
}"""
NUMBERS_EACH = 7


async def arrange(app: Starlette, admin: Credentials, parents: int, start: int) -> list[Credentials]:
    """`parents` subaccounts with 7 numbers each from `number(start)` on (voice to the
    admin's application, sms to their own) and one application each."""
    database = app.state.database
    [shared] = await add_applications(database, admin.sid, ["Shared IVR"])
    children = await add_subaccounts(database, admin, parents)
    for i, child in enumerate(children):
        [own] = await add_applications(database, child.sid, [f"App {i}"])
        await add_numbers(database, child.sid, NUMBERS_EACH, start=start + i * NUMBERS_EACH,
                          settings={"voice_application_sid": shared, "sms_application_sid": own})
    return children


async def statements_for(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials, variables: dict[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    with count_statements(app) as statements:
        result = await data(client, admin, NESTED, variables)
    return list(statements), result


async def measure(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials, parents: int, start: int
) -> tuple[int, int]:
    """Statements for the nested page, then for the same page after a cursor."""
    children = await arrange(app, admin, parents, start)
    first, result = await statements_for(client, app, admin, {"first": parents})
    edges = result["viewer"]["subaccounts"]["edges"]
    assert [edge["node"]["sid"] for edge in edges] == [child.sid for child in children]
    for i, edge in enumerate(edges):
        numbers = edge["node"]["incomingPhoneNumbers"]
        assert numbers["totalCount"] == NUMBERS_EACH and numbers["pageInfo"]["hasNextPage"] is True
        assert [e["node"]["phoneNumber"] for e in numbers["edges"]] == [number(start + i * NUMBERS_EACH + j) for j in range(5)]
        assert {e["node"]["voice"]["application"]["friendlyName"] for e in numbers["edges"]} == {"Shared IVR"}
        [own] = edge["node"]["applications"]["nodes"]
        assert own["friendlyName"] == f"App {i}" and len(own["incomingPhoneNumbers"]["nodes"]) == 3
    # The same nested page after a cursor: the keyset condition inside the window. The
    # cursor is the first subaccount's fifth number; every list continues after it.
    cursor = edges[0]["node"]["incomingPhoneNumbers"]["pageInfo"]["endCursor"]
    after, result = await statements_for(client, app, admin, {"first": parents, "after": cursor})
    rest = result["viewer"]["subaccounts"]["edges"][0]["node"]["incomingPhoneNumbers"]
    assert [e["node"]["phoneNumber"] for e in rest["edges"]] == [number(start + 5), number(start + 6)]
    assert rest["pageInfo"]["hasNextPage"] is False
    return len(first), len(after)


async def test_nested_pages_cost_the_same_for_5_and_50_parents(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials, make_account: Any,
) -> None:
    small = await measure(client, app, admin, 5, start=0)
    # 50 subaccounts in another organization, measured the same way.
    other = await make_account(None)
    large = await measure(client, app, other, 50, start=100)
    assert small == large, (small, large)
    # Sign-in (2), subaccounts (page, total), their numbers (one window, one total), the
    # numbers' applications (one batch), their applications (one window) and those
    # applications' numbers (one window): whatever the number of parents.
    assert small[0] <= 10, small
