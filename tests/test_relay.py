"""Relay can page the graph: relay-compiler (pinned in tests/codegen/package.json; a native
binary inside the package) compiles, over schema.graphql, refetchable `@connection`
fragments on `Account.incomingPhoneNumbers` and `Account.subaccounts`. Relay's
@refetchable needs the Node interface with `id: ID!` and `Query.node(id: ID!)`, which the
schema has (IDs are the SIDs). The test fails on any compiler error, proves it would see
one (a fragment with an unknown field is refused), and runs the refetch queries Relay
wrote against the gateway: `node(id:)` and the connection arguments work as Relay sends them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from tests.graphql_helpers import data
from tests.support.accounts import Credentials
from tests.support.graph import add_numbers, add_subaccounts
from tests.test_codegen import CODEGEN, ROOT, require_npm, run, schema_file

pytestmark = [pytest.mark.slow, pytest.mark.one_database]  # a system test; the queries it runs are plain reads

RELAY = CODEGEN / "node_modules" / ".bin" / "relay-compiler"

SOURCES = {
    "AccountNumbers.ts": """
export const accountNumbers = graphql`
  fragment AccountNumbers_account on Account
  @refetchable(queryName: "AccountNumbersPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 3 }
    cursor: { type: "String" }
    type: { type: "PhoneNumberType" }
  ) {
    incomingPhoneNumbers(first: $count, after: $cursor, type: $type)
      @connection(key: "AccountNumbers_incomingPhoneNumbers", filters: ["type"]) {
      totalCount
      edges { node { id phoneNumber friendlyName voice { application { id friendlyName } } } }
    }
  }
`;
""",
    "AccountSubaccounts.ts": """
export const accountSubaccounts = graphql`
  fragment AccountSubaccounts_account on Account
  @refetchable(queryName: "AccountSubaccountsPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 2 }
    after: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
  ) {
    subaccounts(first: $first, after: $after, last: $last, before: $before)
      @connection(key: "AccountSubaccounts_subaccounts") {
      edges { node { id friendlyName status ...AccountNumbers_account } }
    }
  }
`;
""",
    "RelayAccount.ts": """
export const relayAccount = graphql`
  query RelayAccountQuery($sid: ID!) {
    account(sid: $sid) { id ...AccountNumbers_account ...AccountSubaccounts_account }
  }
`;
""",
}
#: what relay-compiler writes for those: the fragments, the refetch queries and the query
ARTIFACTS = {
    "AccountNumbers_account", "AccountNumbersPaginationQuery", "AccountSubaccounts_account",
    "AccountSubaccountsPaginationQuery", "RelayAccountQuery",
}


def compile_relay(folder: Path, schema: Path, sources: dict[str, str]) -> tuple[int, str]:
    """Run relay-compiler over `sources` in `folder`; its exit code and output."""
    src, generated = folder / "src", folder / "src" / "__generated__"
    generated.mkdir(parents=True)
    for name, text in sources.items():
        # `graphql` is react-relay's tag; the compiler reads the template, nothing runs.
        (src / name).write_text("declare function graphql(strings: TemplateStringsArray): unknown;\n" + text)
    config = folder / "relay.config.json"
    config.write_text(json.dumps({
        "src": str(src), "schema": str(schema), "language": "typescript", "artifactDirectory": str(generated),
        "customScalarTypes": {"DateTime": "string"},
    }))
    done = run([str(RELAY), str(config)], cwd=folder, env={"NO_COLOR": "1", "CI": "1"})
    return done.returncode, done.stdout + done.stderr


def operation_text(artifact: Path) -> str:
    """The operation Relay sends for a query artifact (its `params.text`)."""
    match = re.search(r'"text": ("(?:[^"\\]|\\.)*")', artifact.read_text())
    assert match, f"no operation text in {artifact}"
    text: str = json.loads(match.group(1))
    return text


async def test_relay_compiles_refetchable_connections_and_its_queries_run(
    tmp_path: Path, client: httpx.AsyncClient, app: Starlette, admin: Credentials,
) -> None:
    require_npm()
    installed = run([str(ROOT / "scripts/install-node-assets"), "--with-codegen"], cwd=ROOT)
    assert installed.returncode == 0, f"scripts/install-node-assets --with-codegen failed:\n{installed.stderr}"
    schema = schema_file(tmp_path)

    # The compiler sees errors: an unknown field fails the compilation, naming it.
    broken = {"AccountNumbers.ts": SOURCES["AccountNumbers.ts"].replace("friendlyName voice", "friendlyName nope voice")}
    code, output = compile_relay(tmp_path / "broken", schema, broken)
    assert code != 0 and "has no field `nope`" in output, output

    code, output = compile_relay(tmp_path / "relay", schema, SOURCES)
    assert code == 0 and "[ERROR]" not in output, f"relay-compiler failed:\n{output}"
    generated = tmp_path / "relay" / "src" / "__generated__"
    written = {path.name.removesuffix(".graphql.ts") for path in generated.glob("*.graphql.ts")}
    assert written == ARTIFACTS, output

    # The refetch queries Relay wrote go through node(id:) and page as the gateway pages.
    children = await add_subaccounts(app.state.database, admin, 3)
    await add_numbers(app.state.database, children[0].sid, 4)
    subaccounts = operation_text(generated / "AccountSubaccountsPaginationQuery.graphql.ts")
    assert "node(id: $id)" in subaccounts
    page = (await data(client, admin, subaccounts, {"id": admin.sid}))["node"]["subaccounts"]
    assert [edge["node"]["id"] for edge in page["edges"]] == [children[0].sid, children[1].sid]
    assert page["pageInfo"]["hasNextPage"] is True
    first_numbers = page["edges"][0]["node"]["incomingPhoneNumbers"]
    assert first_numbers["totalCount"] == 4 and len(first_numbers["edges"]) == 3
    rest = (await data(client, admin, subaccounts, {"id": admin.sid, "after": page["pageInfo"]["endCursor"]}))
    assert [edge["node"]["id"] for edge in rest["node"]["subaccounts"]["edges"]] == [children[2].sid]

    numbers = operation_text(generated / "AccountNumbersPaginationQuery.graphql.ts")
    more = (await data(client, admin, numbers, {"id": children[0].sid, "cursor": first_numbers["pageInfo"]["endCursor"]}))
    assert len(more["node"]["incomingPhoneNumbers"]["edges"]) == 1
    assert more["node"]["incomingPhoneNumbers"]["pageInfo"]["hasNextPage"] is False
