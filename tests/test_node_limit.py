"""The node limit (issue "A graph"): nested first/last multiply, as GitHub counts them; an
operation that could return more than 10,000 nodes is refused before anything runs,
with an error naming the limit. Variables count with the request's values (so the
outcome is never cached per document), a missing first/last as the page maximum."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.graphql.connection import MAX_PAGE
from gateway.graphql.costs import MAX_NODES
from gateway.graphql.schema import schema
from tests.graphql_helpers import count_statements, data, post
from tests.support.accounts import Credentials

pytestmark = pytest.mark.one_database  # refused before any query: the database plays no part

NESTED = "{ viewer { subaccounts(first: %d) { nodes { incomingPhoneNumbers(first: %d) { nodes { sid } } } } } }"


async def refused(
    client: httpx.AsyncClient, app: Starlette, who: Credentials, query: str, variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The refusal of `query`, checked: no data, one error naming the limit, and nothing
    run (the request costs the statements of signing in, as `{ viewer { sid } }` does)."""
    await data(client, who, "{ viewer { sid } }")  # a first sign-in checks the token the slow way
    with count_statements(app) as baseline:
        await data(client, who, "{ viewer { sid } }")
    with count_statements(app) as statements:
        body = await post(client, who, query, variables)
    assert body["data"] is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NODE_LIMIT" and error["extensions"]["limit"] == MAX_NODES, error
    assert "10,000" in error["message"] and "first/last multiply" in error["message"], error
    assert len(statements) == len(baseline), statements
    found: dict[str, Any] = error
    return found


async def test_nested_pages_over_the_limit_are_refused_and_just_under_runs(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    error = await refused(client, app, admin, NESTED % (100, 100))  # 100 + 100 × 100
    assert error["extensions"]["nodes"] == 10_100 and "up to 10,100 nodes" in error["message"]
    for outer, inner in ((99, 100), (100, 99)):  # 9,999 and 10,000: at most the limit runs
        assert (await data(client, admin, NESTED % (outer, inner)))["viewer"]["subaccounts"]["nodes"] == []


async def test_variables_count_with_the_values_the_request_gives(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    query = """query($outer: Int, $inner: Int = 100) {
      viewer { subaccounts(first: $outer) { nodes { incomingPhoneNumbers(first: $inner) { totalCount } } } }
    }"""
    # One document, alternating outcomes: what is counted is this request's variables.
    await refused(client, app, admin, query, {"outer": 100})  # $inner takes its default, 100
    assert await data(client, admin, query, {"outer": 99})
    await refused(client, app, admin, query, {})  # no $outer: the page maximum, 100
    assert await data(client, admin, query, {"outer": 100, "inner": 1})
    await refused(client, app, admin, query, {"outer": None})  # null is no first either


async def test_a_missing_first_or_last_counts_as_the_page_maximum(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    # Served 50 at a time by default, but a client could ask for 100: counted as 100.
    error = await refused(client, app, admin, "{ viewer { subaccounts { nodes { incomingPhoneNumbers { totalCount } } } } }")
    assert error["extensions"]["nodes"] == MAX_PAGE + MAX_PAGE * MAX_PAGE
    assert await data(client, admin, "{ viewer { subaccounts(last: 99) { nodes { incomingPhoneNumbers { totalCount } } } } }")


async def test_aliases_fragments_and_mutations_count(
    client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    numbers = "incomingPhoneNumbers(first: 100) { nodes { sid } }"
    aliased = f"""{{ viewer {{ a: subaccounts(first: 50) {{ nodes {{ ...Numbers }} }}
                               b: subaccounts(first: 50) {{ nodes {{ ... on Account {{ {numbers} }} }} }} }} }}
                  fragment Numbers on Account {{ {numbers} }}"""
    error = await refused(client, app, admin, aliased)  # 2 × (50 + 50 × 100)
    assert error["extensions"]["nodes"] == 10_100
    # A mutation is refused before it runs: no application is made.
    mutation = """mutation { createApplication(input: {friendlyName: "Costly"}) { application {
      incomingPhoneNumbers { nodes { account { subaccounts { totalCount } } } } } } }"""
    error = await refused(client, app, admin, mutation)  # 100 + 100 × 100
    assert error["extensions"]["nodes"] == 10_100
    listed = await data(client, admin, "{ viewer { applications { totalCount } } }")
    assert listed["viewer"]["applications"]["totalCount"] == 0


def test_every_page_argument_documents_the_limit() -> None:
    documented = []
    for type_ in schema._schema.type_map.values():
        for field_name, field in (getattr(type_, "fields", None) or {}).items():
            for name in ("first", "last"):
                argument = getattr(field, "args", {}).get(name)
                if argument is not None:
                    assert f"{MAX_NODES:,}" in (argument.description or ""), (type_, field_name, name)
                    documented.append(f"{type_}.{field_name}")
    assert {"Query.incomingPhoneNumbers", "Account.incomingPhoneNumbers", "Account.subaccounts",
            "Account.applications", "Application.incomingPhoneNumbers", "Query.availablePhoneNumbers"} <= set(documented)
