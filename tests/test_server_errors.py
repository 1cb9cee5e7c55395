"""A 500 (there should be none) keeps the connection usable, and a client that goes away
is no error (issue 8, finding 5), against a real HTTP server."""

from __future__ import annotations

import base64
import logging
import socket
import time

import pytest

from gateway.services import listing
from gateway.settings import Settings
from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN, numbers_path
from tests.support.inprocess import read_response, request, served

pytestmark = pytest.mark.one_database  # connection handling, not the data

AUTHORIZATION = {"Authorization": "Basic " + base64.b64encode(f"{ADMIN_SID}:{ADMIN_TOKEN}".encode()).decode()}


@pytest.fixture
def port(database_url: str):  # type: ignore[no-untyped-def]
    with served(Settings(database_url=database_url, admin_token=ADMIN_TOKEN, reconcile_interval=0)) as port:
        yield port


def test_a_500_keeps_the_connection_usable(port: int, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    real = listing.list_numbers_page
    failures = []

    async def fails_once(**kwargs: object) -> object:
        if not failures:
            failures.append(1)
            raise RuntimeError("a bug")
        return await real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(listing, "list_numbers_page", fails_once)
    with caplog.at_level(logging.ERROR, logger="gateway"), socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(request("GET", numbers_path(ADMIN_SID, ".json"), AUTHORIZATION))
        status, headers, body = read_response(connection)
        assert status == 500 and headers["x-request-id"] in body.decode()
        assert headers.get("connection", "").lower() != "close"
        connection.sendall(request("GET", numbers_path(ADMIN_SID, ".json"), AUTHORIZATION))  # same connection
        status, _, _ = read_response(connection)
        assert status == 200
    assert sum("a bug" in (r.exc_text or "") or "unexpected error" in r.getMessage() for r in caplog.records) >= 1


def counted(port: int, method: str, route: str) -> dict[str, float]:
    """gateway_http_requests_total for one method and route, by status."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(request("GET", "/metrics"))
        _, _, metrics = read_response(connection)
    prefix = f'gateway_http_requests_total{{method="{method}",route="{route}",status="'
    return {line[len(prefix):].split('"')[0]: float(line.rsplit(" ", 1)[1])
            for line in metrics.decode().splitlines() if line.startswith(prefix)}


@pytest.mark.parametrize("path, route", [
    ("/graphql", "/graphql"),
    (numbers_path(ADMIN_SID, ".json"), "/Accounts/{account_sid}/IncomingPhoneNumbers"),
])
def test_a_client_that_disconnects_is_not_an_error(port: int, path: str, route: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    before = counted(port, "POST", route)
    with caplog.at_level(logging.INFO, logger="gateway"):
        with socket.create_connection(("127.0.0.1", port)) as connection:
            headers = {**AUTHORIZATION, "Content-Type": "application/json", "Content-Length": "1000"}
            head = request("POST", path, headers)
            head = head.replace(b"Content-Length: 0\r\n", b"", 1)  # the declared 1000 bytes never all come
            connection.sendall(head + b'{"query": "{ viewer')
        deadline = time.monotonic() + 10
        while not any('"status": 499' in r.getMessage() for r in caplog.records if r.name == "gateway.access"):
            assert time.monotonic() < deadline, [r.getMessage() for r in caplog.records]
            time.sleep(0.02)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [r.getMessage() for r in caplog.records]
    after = counted(port, "POST", route)
    assert after.get("499", 0) == before.get("499", 0) + 1
    assert after.get("500", 0) == before.get("500", 0)
