"""GraphQL limits and failure modes (SPEC §5): depth, aliases, tokens, mutations only
over POST, unexpected errors masked with a request id, transport errors as JSON."""

from __future__ import annotations

import logging

import pytest
from graphql import get_introspection_query

from gateway.graphql import schema as graphql_schema
from gateway.services import numbers, purchase
from tests.graphql_helpers import data, post
from tests.support.accounts import Credentials

pytestmark = pytest.mark.one_database  # limits are checked before any query


def parents(depth: int) -> str:
    inner = "sid"
    for _ in range(depth):
        inner = f"parent {{ {inner} }}"
    return f"{{ viewer {{ {inner} }} }}"


async def test_query_depth_is_limited(client, admin: Credentials) -> None:
    allowed = parents(graphql_schema.MAX_DEPTH - 2)  # viewer + parents + sid
    assert "errors" not in await post(client, admin, allowed)
    body = await post(client, admin, parents(graphql_schema.MAX_DEPTH + 5))
    assert body.get("data") is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_aliases_are_limited(client, admin: Credentials) -> None:
    many = " ".join(f"a{i}: viewer {{ sid }}" for i in range(graphql_schema.MAX_ALIASES + 1))
    body = await post(client, admin, f"{{ {many} }}")
    assert body.get("data") is None
    assert "aliases found" in body["errors"][0]["message"]
    few = " ".join(f"a{i}: viewer {{ sid }}" for i in range(5))
    assert len(await data(client, admin, f"{{ {few} }}")) == 5


async def test_tokens_are_limited(client, admin: Credentials) -> None:
    body = await post(client, admin, "{ viewer { " + "sid " * graphql_schema.MAX_TOKENS + "} }")
    assert body.get("data") is None
    assert "tokens" in body["errors"][0]["message"]


async def test_introspection_passes_the_limits(client, admin: Credentials) -> None:
    query = get_introspection_query(
        descriptions=True, specified_by_url=True, directive_is_repeatable=True, schema_description=True,
        input_value_deprecation=True, one_of=True,
    )
    result = await data(client, admin, query)
    names = {t["name"] for t in result["__schema"]["types"]}
    assert {"IncomingPhoneNumber", "VoiceRoute", "MessagingRoute", "UserError", "PurchaseNumberInput"} <= names


async def test_mutations_only_over_post(client, admin: Credentials) -> None:
    mutation = 'mutation { purchaseNumber(input: {phoneNumber: "+15105555555"}) { incomingPhoneNumber { sid } } }'
    response = await client.get("/graphql", params={"query": mutation}, auth=admin.auth)
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "POST"
    assert "POST" in response.json()["errors"][0]["message"]
    # Nothing was bought; queries over GET are fine.
    response = await client.get("/graphql", params={"query": "{ incomingPhoneNumbers { totalCount } }"}, auth=admin.auth)
    assert response.status_code == 200 and response.json()["data"]["incomingPhoneNumbers"]["totalCount"] == 0


async def test_transport_errors_are_json(client, admin: Credentials) -> None:
    response = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"}, auth=admin.auth)
    assert response.status_code == 400 and response.json()["errors"][0]["message"]
    response = await client.put("/graphql", json={"query": "{ viewer { sid } }"}, auth=admin.auth)
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    client, admin: Credentials, monkeypatch, caplog
) -> None:
    async def broken(**_kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(numbers, "get_number", broken)
    monkeypatch.setattr(purchase, "purchase_number", broken)
    caplog.set_level(logging.ERROR, logger="gateway.graphql")
    for operation in (
        'query { viewer { sid } incomingPhoneNumber(sid: "PN00000000000000000000000000000000") { sid } }',
        'mutation { purchaseNumber(input: {phoneNumber: "+15105555555"}) { userErrors { code } } }',
    ):
        caplog.clear()
        response = await client.post(
            "/graphql", json={"query": operation}, auth=admin.auth, headers={"x-request-id": "req-42"}
        )
        assert response.status_code == 200
        body = response.json()
        assert "hunter2" not in response.text
        [error] = body["errors"]
        assert error["message"] == "Unexpected error"
        assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
        if operation.startswith("query"):
            assert body["data"] == {"viewer": {"sid": admin.sid}, "incomingPhoneNumber": None}  # the rest still answers
        [record] = [r for r in caplog.records if "req-42" in r.getMessage()]
        assert record.exc_info is not None and "hunter2" in str(record.exc_info[1])


async def test_graphiql_is_served_to_browsers(client) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_repeated_operations_hit_the_validation_cache(client, admin: Credentials) -> None:
    # The limiters' rules are built once: a new rule class per request would make every
    # ValidationCache look-up miss (its key holds the rules) and cost ~5 ms a request.
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(graphql_schema.CACHE_SIZE)
    query = "{ viewer { sid friendlyName } }"
    await data(client, admin, query)
    hits = cache.cache_info().hits
    await data(client, admin, query)
    await data(client, admin, query)
    assert cache.cache_info().hits == hits + 2
