"""Apollo Client's automatic persisted queries against a real `gateway serve`.

tests/clients/apq.mjs (Apollo Client 4, pinned in tests/clients/package.json) builds clients
with `PersistedQueryLink({ sha256 })` in front of an `HttpLink` whose fetch records every
exchange, runs queries and prints the conversation as JSON; this test reads it against
Apollo's protocol: a first request carries only `extensions.persistedQuery.sha256Hash`, an
unknown hash is answered `PERSISTED_QUERY_NOT_FOUND` (HTTP 200, Apollo's retry signal), the
client then sends hash and document, and from then on the hash alone runs the document,
over POST and, with `useGETForHashedQueries`, over GET. A hash sent with a document that is
not its own is checked here by plain HTTP: refused, nothing run, nothing registered.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.accounts import ADMIN_EMAIL, ADMIN_SID, ADMIN_TOKEN
from tests.support.server import GatewayServer, gateway_server

# Real processes (a gateway, node); APQ's wire protocol does not depend on the database.
pytestmark = [pytest.mark.slow, pytest.mark.one_database]

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "tests" / "clients"
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"

Exchange = dict[str, Any]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def gateway(database_url: str) -> Iterator[GatewayServer]:
    env = {"GATEWAY_DATABASE_URL": database_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN, "GATEWAY_RECONCILE_INTERVAL": "0"}
    with gateway_server(env) as server:
        yield server


def install_clients() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail(
            "node/npm not found: install Node.js 20+ with npm (e.g. apt-get install -y nodejs npm), "
            "then run scripts/install-node-assets --with-codegen",
            pytrace=False,
        )
    installed = subprocess.run(
        [str(ROOT / "scripts/install-node-assets"), "--with-codegen"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert installed.returncode == 0, (
        f"scripts/install-node-assets --with-codegen failed:\n{installed.stdout}{installed.stderr}"
    )
    assert (CLIENTS / "node_modules" / "@apollo" / "client").is_dir(), (
        "tests/clients/node_modules has no @apollo/client: run scripts/install-node-assets --with-codegen"
    )


def apollo_conversation(server: GatewayServer) -> dict[str, dict[str, Any]]:
    """Run apq.mjs against `server`: its runs by name, each with result and exchanges."""
    done = subprocess.run(
        ["node", "apq.mjs"],
        cwd=CLIENTS, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "GATEWAY_URL": server.url, "GATEWAY_AUTH": f"{ADMIN_SID}:{ADMIN_TOKEN}"},
    )
    assert done.returncode == 0, f"apq.mjs failed:\n{done.stdout}\n{done.stderr}\n--- gateway:\n{server.output()}"
    return {run["name"]: run for run in json.loads(done.stdout)["runs"]}


def sent(exchange: Exchange) -> tuple[str | None, dict[str, Any]]:
    """The document (None: not sent) and extensions of a recorded request, POST or GET."""
    if exchange["method"] == "GET":
        parameters = parse_qs(urlsplit(exchange["url"]).query)
        query = parameters["query"][0] if "query" in parameters else None
        extensions = json.loads(parameters["extensions"][0]) if "extensions" in parameters else {}
        return query, extensions
    assert exchange["method"] == "POST", exchange
    return exchange["body"].get("query"), exchange["body"].get("extensions") or {}


def hash_only(exchange: Exchange) -> str:
    """The APQ hash of a request that sent no document (fails if it sent one)."""
    query, extensions = sent(exchange)
    assert query is None, f"the hashed request sent its document too:\n{json.dumps(exchange, indent=2)}"
    persisted = extensions.get("persistedQuery")
    assert isinstance(persisted, dict) and persisted.get("version") == 1, exchange
    assert SHA256_HEX.fullmatch(persisted.get("sha256Hash", "")), exchange
    return str(persisted["sha256Hash"])


def with_document(exchange: Exchange, sha256_hash: str) -> None:
    """The retry: document and the same hash, which is the document's sha256."""
    query, extensions = sent(exchange)
    assert query is not None, f"the retry did not send the document:\n{json.dumps(exchange, indent=2)}"
    assert extensions.get("persistedQuery", {}).get("sha256Hash") == sha256_hash, exchange
    assert sha256(query) == sha256_hash, f"Apollo's hash is not the sha256 of the document it sent: {query!r}"


def not_found(exchange: Exchange) -> None:
    answer = exchange["response"]
    assert exchange["status"] == 200, exchange  # Apollo retries on the error, whatever the status
    assert isinstance(answer, dict) and answer.get("data") is None, exchange
    assert [error.get("extensions", {}).get("code") for error in answer.get("errors", [])] == [NOT_FOUND], exchange


def viewer_answer(exchange: Exchange) -> dict[str, Any]:
    answer = exchange["response"]
    assert exchange["status"] == 200 and isinstance(answer, dict) and "errors" not in answer, exchange
    assert answer["data"]["viewer"]["sid"] == ADMIN_SID, exchange
    return dict(answer["data"]["viewer"])


def test_apollo_client_sends_hashes_and_registers_documents_over_post_and_get(gateway: GatewayServer) -> None:
    install_clients()
    runs = apollo_conversation(gateway)
    for name, run in runs.items():
        assert run["error"] is None and run["data"]["viewer"]["sid"] == ADMIN_SID, f"{name}: {run}"

    # POST: hash alone, unknown -> document and hash -> data.
    first = runs["post-first"]["exchanges"]
    assert [e["method"] for e in first] == ["POST", "POST"], first
    viewer_hash = hash_only(first[0])
    not_found(first[0])
    with_document(first[1], viewer_hash)
    viewer_answer(first[1])
    # Again: the hash alone now runs the document the gateway remembered.
    second = runs["post-second"]["exchanges"]
    assert [e["method"] for e in second] == ["POST"], second
    assert hash_only(second[0]) == viewer_hash
    viewer_answer(second[0])

    # GET (useGETForHashedQueries), a query the POST client never sent: the hash goes in the
    # URL; Apollo sends the document itself by POST (a long document does not fit a URL,
    # apollo-client#7456); then the hash alone over GET runs it.
    first = runs["get-first"]["exchanges"]
    assert [e["method"] for e in first] == ["GET", "POST"], first
    name_hash = hash_only(first[0])
    assert name_hash != viewer_hash
    not_found(first[0])
    with_document(first[1], name_hash)
    assert viewer_answer(first[1])["friendlyName"]
    second = runs["get-second"]["exchanges"]
    assert [e["method"] for e in second] == ["GET"], second
    assert hash_only(second[0]) == name_hash
    assert viewer_answer(second[0])["friendlyName"]
    # What one client registered, another runs by hash: the gateway keeps it, not the client.
    known = runs["get-known"]["exchanges"]
    assert [e["method"] for e in known] == ["GET"], known
    assert hash_only(known[0]) == viewer_hash
    viewer_answer(known[0])


def apq(document: str | None, sha256_hash: str) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}}}
    if document is not None:
        body["query"] = document
    return body


def refused(response: httpx.Response) -> None:
    """A mismatching hash: 400, saying so, and nothing ran (no data, no e-mail in the answer)."""
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer.get("data") is None and answer["errors"], answer
    assert "match" in answer["errors"][0]["message"].lower(), answer
    assert ADMIN_EMAIL not in response.text and ADMIN_SID not in response.text, response.text


def test_a_hash_sent_with_another_document_is_refused(gateway: GatewayServer) -> None:
    viewer = "query Viewer { viewer { sid } }"
    email = "query Viewer { viewer { email } }"
    with httpx.Client(base_url=gateway.url, auth=(ADMIN_SID, ADMIN_TOKEN), timeout=10) as http:
        # The hash of one document with another: refused over POST and GET, and not
        # registered (the hash alone is still unknown).
        refused(http.post("/graphql", json=apq(viewer, sha256(email))))
        extensions = json.dumps(apq(None, sha256(email))["extensions"])
        refused(http.get("/graphql", params={"query": viewer, "extensions": extensions}))
        alone = http.post("/graphql", json=apq(None, sha256(email)))
        assert alone.status_code == 200 and alone.json()["errors"][0]["extensions"]["code"] == NOT_FOUND, alone.text

        # A registered hash cannot be taken over: its document keeps running, not the new one.
        registered = http.post("/graphql", json=apq(viewer, sha256(viewer)))
        assert registered.status_code == 200 and registered.json() == {"data": {"viewer": {"sid": ADMIN_SID}}}
        refused(http.post("/graphql", json=apq(email, sha256(viewer))))
        again = http.post("/graphql", json=apq(None, sha256(viewer)))
        assert again.status_code == 200 and again.json() == {"data": {"viewer": {"sid": ADMIN_SID}}}, again.text
