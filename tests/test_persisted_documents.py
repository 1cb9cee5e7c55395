"""Persisted GraphQL documents, both kinds, and GraphQL over HTTP's own media type.

Automatic persisted queries (Apollo's protocol): a hash alone is answered
PersistedQueryNotFound until some request registered the document with it; the
document is then remembered in the database, for every instance. Trusted documents
(GATEWAY_GRAPHQL_DOCUMENTS): only the manifest's documents run. Apollo Client itself
is driven against a real server in tests/test_apollo_client.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlmodel import func, select

from gateway.app import create_app, serving_stack
from gateway.cli import main
from gateway.settings import Settings, SettingsError
from gateway.storage.tables import PersistedQuery
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN, Credentials

VIEWER = "query Viewer { viewer { sid } }"
AUTH = (ADMIN_SID, ADMIN_TOKEN)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(document_hash: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": document_hash}}


async def test_automatic_persisted_queries_register_once_and_run_by_hash(
    client: httpx.AsyncClient, admin: Credentials, sessionmaker  # type: ignore[no-untyped-def]
) -> None:
    digest = sha256(VIEWER)
    unknown = await client.post("/graphql", auth=admin.auth, json={"extensions": persisted(digest)})
    assert unknown.status_code == 200  # Apollo's signal to send the document along
    [error] = unknown.json()["errors"]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    registered = await client.post("/graphql", auth=admin.auth, json={"query": VIEWER, "extensions": persisted(digest)})
    assert registered.json() == {"data": {"viewer": {"sid": admin.sid}}}
    by_hash = await client.post("/graphql", auth=admin.auth, json={"extensions": persisted(digest)})
    assert by_hash.json() == {"data": {"viewer": {"sid": admin.sid}}}
    over_get = await client.get("/graphql", auth=admin.auth, headers={"Accept": "application/json"},
                                params={"extensions": json.dumps(persisted(digest))})
    assert over_get.json() == {"data": {"viewer": {"sid": admin.sid}}}
    # GraphQL over HTTP's persisted documents name it by documentId.
    by_id = await client.post("/graphql", auth=admin.auth, json={"documentId": f"sha256:{digest}"})
    assert by_id.json() == {"data": {"viewer": {"sid": admin.sid}}}

    async with sessionmaker() as session:  # in the database: every instance knows it
        row = await session.get(PersistedQuery, digest)
        assert row is not None and row.document == VIEWER


async def test_a_hash_must_be_its_documents(client: httpx.AsyncClient, admin: Credentials, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    other = "query Email { viewer { email } }"
    response = await client.post("/graphql", auth=admin.auth,
                                 json={"query": other, "extensions": persisted(sha256(VIEWER))})
    assert response.status_code == 400
    assert "does not match" in response.json()["errors"][0]["message"]
    assert "data" not in response.json() or response.json()["data"] is None
    for bad in ({"persistedQuery": {"version": 1, "sha256Hash": "abc"}},
                {"persistedQuery": {"version": 2, "sha256Hash": sha256(VIEWER)}},
                {"persistedQuery": "yes"}):
        refused = await client.post("/graphql", auth=admin.auth, json={"query": VIEWER, "extensions": bad})
        assert refused.status_code == 400 and "persistedQuery" in refused.json()["errors"][0]["message"]
    malformed_id = await client.post("/graphql", auth=admin.auth, json={"documentId": "not a hash"})
    assert malformed_id.status_code == 400 and "documentId" in malformed_id.json()["errors"][0]["message"]
    async with sessionmaker() as session:
        assert (await session.exec(select(func.count()).select_from(PersistedQuery))).one() == 0


async def test_only_signed_in_callers_register(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": VIEWER, "extensions": persisted(sha256(VIEWER))})
    assert response.status_code == 401


@pytest.mark.one_database
async def test_graphql_response_json_answers_400_to_documents_that_cannot_run(
    client: httpx.AsyncClient, admin: Credentials
) -> None:
    spec = {"Accept": "application/graphql-response+json, application/json;q=0.9"}
    for document in ("{ viewer { sid ", "{ viewer { nope } }", "query A { viewer { sid } } query B { viewer { sid } }"):
        response = await client.post("/graphql", auth=admin.auth, json={"query": document}, headers=spec)
        assert response.status_code == 400, document
        assert response.headers["content-type"].startswith("application/graphql-response+json")
        assert response.json()["errors"]
        classic = await client.post("/graphql", auth=admin.auth, json={"query": document})
        assert classic.status_code == 200 and classic.headers["content-type"].startswith("application/json")
    ran = await client.post("/graphql", auth=admin.auth, json={"query": VIEWER}, headers=spec)
    assert ran.status_code == 200 and ran.headers["content-type"].startswith("application/graphql-response+json")
    assert ran.json() == {"data": {"viewer": {"sid": admin.sid}}}
    # An error during execution is a result, not a refusal: still 200.
    missing = await client.post("/graphql", auth=admin.auth, headers=spec,
                                json={"query": '{ incomingPhoneNumbers(accountSid: "ACnope") { totalCount } }'})
    assert missing.status_code == 200 and missing.json()["errors"]
    # JSON first in Accept keeps today's answer.
    json_first = await client.post("/graphql", auth=admin.auth, json={"query": "{ nope }"},
                                   headers={"Accept": "application/json, application/graphql-response+json;q=0.5"})
    assert json_first.status_code == 200 and json_first.headers["content-type"].startswith("application/json")


@asynccontextmanager
async def trusted_gateway(tmp_path: Path, manifest: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps(manifest))
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/g.db", admin_token=ADMIN_TOKEN,
                              graphql_documents=str(path)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=serving_stack(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", auth=AUTH) as client:
            yield client


async def test_trusted_documents_run_by_id_and_nothing_else_runs(tmp_path: Path) -> None:
    # The manifest as graphql-codegen's client-preset 6 writes it: `sha256:<hex>` → document.
    async with trusted_gateway(tmp_path, {f"sha256:{sha256(VIEWER)}": VIEWER}) as client:
        for body in ({"documentId": f"sha256:{sha256(VIEWER)}"}, {"documentId": sha256(VIEWER)},
                     {"extensions": persisted(sha256(VIEWER))}, {"query": VIEWER}):
            response = await client.post("/graphql", json=body)
            assert response.json() == {"data": {"viewer": {"sid": ADMIN_SID}}}, body

        adhoc = await client.post("/graphql", json={"query": "{ viewer { email } }"})
        assert adhoc.status_code == 400
        assert "only trusted documents" in adhoc.json()["errors"][0]["message"]
        registering = await client.post("/graphql", json={"query": "{ viewer { email } }",
                                                          "extensions": persisted(sha256("{ viewer { email } }"))})
        assert registering.status_code == 400
        unknown = await client.post("/graphql", json={"documentId": sha256("{ viewer { email } }")})
        assert unknown.status_code == 400
        assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        over_get = await client.get("/graphql", params={"query": "{ viewer { email } }"},
                                    headers={"Accept": "application/json"})
        assert over_get.status_code == 400


def test_an_unusable_manifest_stops_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for content in ("not json", "[]", "{}", '{"abc": 5}'):
        path = tmp_path / "manifest.json"
        path.write_text(content)
        with pytest.raises(SettingsError, match="GATEWAY_GRAPHQL_DOCUMENTS"):
            create_app(Settings(database_url=f"sqlite:///{tmp_path}/g.db", graphql_documents=str(path)))
    monkeypatch.setenv("GATEWAY_GRAPHQL_DOCUMENTS", str(tmp_path / "missing.json"))
    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path}/g.db")
    assert main(["serve", "--port", "1"]) == 2
    assert "GATEWAY_GRAPHQL_DOCUMENTS" in capsys.readouterr().err
