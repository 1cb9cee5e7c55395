"""Compiled plans answer exactly as graphql-core: the same operations sent to two real
gateways on the same data, one running queries from plans and one with
GATEWAY_GRAPHQL_COMPILER=off, give the same status and the same body, byte for byte
once parsed (request ids aside), on SQLite and PostgreSQL.

Hand-written operations cover what a plan must get right (fragments, aliases, merged
fields, variables, @skip/@include, __typename, nulls, nested connections, cursors) and
what must fall back (errors in resolvers, refused arguments, node(id:), introspection);
the gateway's metrics show which way each ran. hypothesis-graphql then generates
operations over the real schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import strategies as graphql_strategies

from gateway.graphql.schema import sdl
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN
from tests.support.server import GatewayServer

pytestmark = pytest.mark.slow

NUMBER = """fragment Number on IncomingPhoneNumber {
  id sid phoneNumber friendlyName type isSip beta apiVersion dateCreated dateUpdated uri
  account { sid friendlyName status role parent { sid } }
  capabilities { voice sms mms fax }
  voice { url method fallbackUrl fallbackMethod statusCallback statusCallbackMethod callerIdLookup applicationSid
          application { sid friendlyName dateCreated account { sid } } }
  sms { url method fallbackUrl fallbackMethod application { sid friendlyName } }
  ussd { ...Route } refer { ...Route }
}
fragment Route on MessagingRoute { url method fallbackUrl fallbackMethod applicationSid application { sid } }
"""

#: (operation, variables, how it runs on the compiled gateway: "plan" or "fallback")
CASES: list[tuple[str, dict[str, Any], str]] = [
    (NUMBER + "query($a: ID!) { incomingPhoneNumbers(accountSid: $a, first: 7) { totalCount "
     "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ...Number } } } }",
     {"a": "{child}"}, "plan"),
    (NUMBER + "{ viewer { __typename sid subaccounts(first: 3) { totalCount edges { node { sid "
     "incomingPhoneNumbers(first: 2) { nodes { ...Number } } applications { nodes { friendlyName "
     "incomingPhoneNumbers(first: 2) { edges { node { sid phoneNumber } } } } } } } } } }", {}, "plan"),
    ("query($a: ID!, $with: Boolean!, $without: Boolean!) { first: incomingPhoneNumbers(accountSid: $a, first: 2) "
     "{ edges { node { sid n: phoneNumber phoneNumber @include(if: $with) friendlyName @skip(if: $without) "
     "... on IncomingPhoneNumber { sid voice { url } } ...Extra } } } "
     "last: incomingPhoneNumbers(accountSid: $a, last: 2) { nodes { __typename sid } pageInfo { hasPreviousPage } } }"
     " fragment Extra on IncomingPhoneNumber { voice { method application { __typename } } }",
     {"a": "{child}", "with": True, "without": True}, "plan"),
    ("query($a: ID!, $with: Boolean!, $without: Boolean!) { incomingPhoneNumbers(accountSid: $a, first: 2) "
     "{ edges { node { sid phoneNumber @include(if: $with) friendlyName @skip(if: $without) } } } }",
     {"a": "{child}", "with": False, "without": False}, "plan"),
    ("query($a: ID!, $after: String) { incomingPhoneNumbers(accountSid: $a, first: 3, after: $after, type: LOCAL) "
     "{ edges { cursor node { sid } } } }", {"a": "{child}", "after": "{cursor}"}, "plan"),
    ("query($s: ID!) { incomingPhoneNumber(sid: $s) { sid voice { application { friendlyName } } } "
     "account(sid: $s) { sid } }", {"s": "{number}"}, "plan"),
    ("{ account(sid: \"ACffffffffffffffffffffffffffffffff\") { sid } viewer { parent { sid } } }", {}, "plan"),
    # errors: FORBIDDEN from a resolver, refused page sizes and cursors, null propagation
    ("{ incomingPhoneNumbers(accountSid: \"ACffffffffffffffffffffffffffffffff\") { totalCount } viewer { sid } }",
     {}, "fallback"),
    ("query($a: ID!) { incomingPhoneNumbers(accountSid: $a, first: 101) { totalCount } }", {"a": "{child}"},
     "fallback"),
    ("query($a: ID!) { ok: incomingPhoneNumbers(accountSid: $a, first: 1) { totalCount } "
     "bad: incomingPhoneNumbers(accountSid: $a, after: \"nope\") { totalCount } }", {"a": "{child}"}, "fallback"),
    ("{ viewer { subaccounts(first: 2, after: \"x\") { totalCount } sid } }", {}, "fallback"),
    # what plans leave to graphql-core
    ("query($s: ID!) { node(id: $s) { id ... on IncomingPhoneNumber { phoneNumber } } }", {"s": "{number}"},
     "graphql-core"),
    ("{ __schema { queryType { name } } viewer { sid } }", {}, "graphql-core"),
    ("mutation { createSubaccount(input: {email: \"\"}) { userErrors { field message } } }", {}, "graphql-core"),
]


@dataclass
class Pair:
    compiled: GatewayServer
    interpreted: GatewayServer
    values: dict[str, str]


@pytest.fixture
def pair(database_url: str) -> Iterator[Pair]:
    env = {"GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
           "GATEWAY_RECONCILE_INTERVAL": "0"}
    compiled = GatewayServer(env)
    interpreted = GatewayServer({**env, "GATEWAY_GRAPHQL_COMPILER": "off"})
    try:
        yield Pair(compiled, interpreted, _arrange(compiled.url))
    finally:
        compiled.stop()
        interpreted.stop()


def _arrange(base: str) -> dict[str, str]:
    """Two subaccounts with numbers routed (or not) to applications, some fields unset."""
    with httpx.Client(base_url=base, auth=(ADMIN_SID, ADMIN_TOKEN), timeout=30) as http:
        sids = []
        for n in range(2):
            child = http.post("/2012-04-24/Accounts.json", data={"EmailAddress": f"diff{n}@example.com"}).json()
            application = http.post(f"/2012-04-24/Accounts/{child['sid']}/Applications.json",
                                    data={"FriendlyName": f"IVR {n}"}).json()
            for m in range(5):
                settings = {"VoiceApplicationSid": application["sid"], "SmsUrl": "https://example.com/sms",
                            "FriendlyName": f"line {m}"} if m % 2 else {"VoiceUrl": "https://example.com/v"}
                bought = http.post(f"/2012-04-24/Accounts/{child['sid']}/IncomingPhoneNumbers.json",
                                   data={"PhoneNumber": f"+1510557{n:02d}{m:02d}", **settings})
                assert bought.status_code == 200, bought.text
                sids.append(bought.json()["sid"])
            sids.insert(0, child["sid"])
        page = _post(base, "query($a: ID!) { incomingPhoneNumbers(accountSid: $a, first: 1) { pageInfo { endCursor } } }",
                     {"a": sids[0]})
    cursor = page[1]["data"]["incomingPhoneNumbers"]["pageInfo"]["endCursor"]
    return {"child": sids[0], "number": sids[1], "cursor": cursor}


def _post(base: str, query: str, variables: dict[str, Any]) -> tuple[int, Any]:
    response = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables},
                          auth=(ADMIN_SID, ADMIN_TOKEN), timeout=30)
    body = response.json()
    return response.status_code, _without_request_ids(body)


def _without_request_ids(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: "-" if k == "requestId" else _without_request_ids(v) for k, v in body.items()}
    if isinstance(body, list):
        return [_without_request_ids(item) for item in body]
    return body


def _executions(server: GatewayServer) -> dict[str, float]:
    metrics = httpx.get(f"{server.url}/metrics").text
    return {path: float(value) for path, value in
            re.findall(r'^gateway_graphql_executions_total\{path="([^"]+)"\} (\S+)$', metrics, re.MULTILINE)}


def _same_answer(pair: Pair, query: str, variables: dict[str, Any]) -> tuple[int, Any]:
    compiled = _post(pair.compiled.url, query, variables)
    interpreted = _post(pair.interpreted.url, query, variables)
    assert compiled == interpreted, query
    return compiled


def test_written_operations_answer_as_graphql_core(pair: Pair) -> None:
    for query, variables, path in CASES:
        filled = {k: v.format(**pair.values) if isinstance(v, str) else v for k, v in variables.items()}
        before = _executions(pair.compiled)
        status, body = _same_answer(pair, query, filled)
        after = _executions(pair.compiled)
        ran = [name for name in after if after[name] != before.get(name, 0.0)]
        assert ran == [path], (query, ran, body)
        assert status == 200, body
        if path == "plan":
            assert body["data"] is not None and "errors" not in body, body
        elif path == "fallback":
            assert body["errors"], body


def test_generated_operations_answer_as_graphql_core(pair: Pair) -> None:
    # Only reads: a generated mutation would change the data between the two servers.
    strategy = graphql_strategies.queries(
        sdl(), fields=["viewer", "account", "incomingPhoneNumber", "incomingPhoneNumbers", "node"], allow_x00=False
    )
    seen = {"plan": 0.0}

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(strategy)
    def compare(query: str) -> None:
        _same_answer(pair, query, {})

    compare()
    seen = _executions(pair.compiled)
    assert seen.get("plan", 0) > 0 and seen.get("fallback", 0) + seen.get("graphql-core", 0) > 0, seen
