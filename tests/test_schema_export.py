"""schema.graphql (SPEC §5): the committed SDL is what the code serves, and the code
makes no breaking change to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, find_breaking_changes

from gateway.cli import main
from gateway.graphql.schema import schema, sdl

COMMITTED = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql is stale: run `gateway export-schema` at the repository root and commit it"
    )


def test_no_breaking_changes_against_the_committed_schema() -> None:
    changes = find_breaking_changes(build_schema(COMMITTED.read_text(encoding="utf-8")), schema._schema)
    assert changes == [], "breaking changes:\n" + "\n".join(f"{c.type.name}: {c.description}" for c in changes)


def test_the_breaking_change_check_sees_a_removed_field() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    uri = '\n  """The URI for this resource, relative to https://api.Restcomm.com."""\n  uri: String!\n'
    assert committed.count(uri) == 1
    changes = find_breaking_changes(build_schema(committed), build_schema(committed.replace(uri, "")))
    assert len(changes) == 1 and "IncomingPhoneNumber.uri was removed" in changes[0].description


def test_export_schema_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.graphql"
    assert main(["export-schema", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == sdl()
    monkeypatch.chdir(tmp_path)
    assert main(["export-schema"]) == 0  # default: ./schema.graphql
    assert (tmp_path / "schema.graphql").read_text(encoding="utf-8") == sdl()
    capsys.readouterr()
    assert main(["export-schema", "--output", "-"]) == 0
    assert capsys.readouterr().out == sdl()


def test_the_schema_names_what_spec_5_fixes() -> None:
    query, mutation = schema._schema.query_type, schema._schema.mutation_type
    assert query is not None and mutation is not None
    assert {"node", "viewer", "account", "incomingPhoneNumber", "incomingPhoneNumbers", "availablePhoneNumbers",
            "availableCountries"} <= set(query.fields)
    assert set(mutation.fields) == {
        "purchaseNumber", "updateNumber", "releaseNumber", "transferNumber", "createSubaccount",
        # issue 10: accounts as operators run them
        "updateAccount", "rotateAuthToken", "createApiKey", "revokeApiKey",
        # issue 11: single-page apps
        "createAccessToken", "revokeAccessToken",
        # issue "A graph": applications
        "createApplication", "updateApplication", "deleteApplication",
    }
    assert set(query.fields["incomingPhoneNumbers"].args) == {
        "accountSid", "type", "phoneNumber", "friendlyName", "beta", "first", "after", "last", "before"}
    number = schema._schema.type_map["IncomingPhoneNumber"]
    assert {"id", "sid", "account", "phoneNumber", "friendlyName", "type", "isSip", "beta", "apiVersion",
            "capabilities", "voice", "sms", "ussd", "refer", "dateCreated", "dateUpdated", "uri"} <= set(number.fields)  # type: ignore[attr-defined]
    for payload in ("PurchaseNumberPayload", "UpdateNumberPayload", "ReleaseNumberPayload", "TransferNumberPayload"):
        assert {"incomingPhoneNumber", "userErrors"} <= set(schema._schema.type_map[payload].fields)  # type: ignore[attr-defined]
    assert {"account", "authToken", "userErrors"} <= set(schema._schema.type_map["CreateSubaccountPayload"].fields)  # type: ignore[attr-defined]
    assert set(schema._schema.type_map["UserError"].fields) == {"field", "message", "code", "restcommCode"}  # type: ignore[attr-defined]
