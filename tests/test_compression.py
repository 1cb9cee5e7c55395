"""Compression: responses over a kilobyte are gzipped when the client accepts it (REST,
GraphQL, the IDE's assets), and decompress to exactly the uncompressed answer."""

from __future__ import annotations

import httpx
import pytest

from tests.support.accounts import Credentials, numbers_path
from tests.support.rest import buy

pytestmark = pytest.mark.one_database  # the wire, not the database

PAGE = "{ incomingPhoneNumbers(first: 50) { edges { node { sid phoneNumber friendlyName dateCreated } } } }"


async def test_big_answers_are_gzipped_and_small_ones_are_not(client: httpx.AsyncClient, admin: Credentials) -> None:
    for n in range(12):
        await buy(client, admin, f"+1510555{n:04d}")
    requests = [
        ("GET", numbers_path(admin.sid, ".json"), {}),
        ("POST", "/graphql", {"json": {"query": PAGE}}),
        ("GET", "/graphql/assets/graphiql.min.js", {}),
    ]
    for method, url, extra in requests:
        plain = await client.request(method, url, auth=admin.auth, headers={"Accept-Encoding": "identity"}, **extra)
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        assert len(plain.content) > 1000
        zipped = await client.request(method, url, auth=admin.auth, headers={"Accept-Encoding": "gzip"}, **extra)
        assert zipped.headers["content-encoding"] == "gzip", url
        assert "Accept-Encoding" in zipped.headers["vary"]
        wire = zipped.num_bytes_downloaded  # the bytes as sent, before httpx decoded them
        assert wire < len(plain.content) / 2, (url, wire, len(plain.content))
        assert zipped.content == plain.content  # httpx decoded it: the very same bytes
    small = await client.get(f"/restcomm/2012-04-24/Accounts/{admin.sid}.json", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 401 and "content-encoding" not in small.headers
