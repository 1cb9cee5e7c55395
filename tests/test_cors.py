"""Pages on other origins: CORS preflights and headers, and which 401s ask for Basic.

A browser sends a preflight (OPTIONS, Origin, Access-Control-Request-Method) without
credentials before any credentialed cross-origin request; it must be answered before
authentication, and only an allowed origin may read the answers. A Basic challenge
makes the browser open its sign-in dialog over the page that made the request, so it
goes only to requests a person makes (curl, the IDE page), never to scripted,
cross-origin or Bearer requests.
"""

from __future__ import annotations

import httpx
import pytest

from gateway.settings import Settings, SettingsError
from tests.support.accounts import ADMIN_TOKEN, Credentials

pytestmark = pytest.mark.one_database  # headers before any query: the database does not matter

APP = "http://127.0.0.1:9201"
OTHER = "http://evil.example"
GRAPHQL = "/graphql"
ACCOUNTS = "/restcomm/2012-04-24/Accounts.json"
BASIC = 'Basic realm="Restcomm realm"'
BEARER = 'Bearer realm="Restcomm realm"'


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, admin_token=ADMIN_TOKEN, cors_origins=frozenset({APP}))


def preflight(origin: str | None, method: str = "POST") -> dict[str, str]:
    headers = {"Access-Control-Request-Method": method,
               "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"}
    return {**headers, "Origin": origin} if origin is not None else headers


@pytest.mark.parametrize("path", [GRAPHQL, ACCOUNTS, "/restcomm/2012-04-24/Accounts/ACx/IncomingPhoneNumbers.json"])
async def test_an_allowed_origin_is_answered_before_authentication(client: httpx.AsyncClient, path: str) -> None:
    response = await client.options(path, headers=preflight(APP))
    assert response.status_code == 204
    headers = response.headers
    assert headers["access-control-allow-origin"] == APP
    assert headers["access-control-allow-credentials"] == "true"
    assert {"GET", "POST", "PUT", "DELETE"} <= {m.strip() for m in headers["access-control-allow-methods"].split(",")}
    allowed = {h.strip() for h in headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "x-request-id"} <= allowed
    assert int(headers["access-control-max-age"]) > 0
    assert "www-authenticate" not in headers
    assert "Origin" in headers["vary"]


@pytest.mark.parametrize("path", [GRAPHQL, ACCOUNTS])
async def test_another_origin_gets_no_cors_header(client: httpx.AsyncClient, admin: Credentials, path: str) -> None:
    response = await client.options(path, headers=preflight(OTHER))
    assert response.status_code == 204
    assert not [h for h in response.headers if h.startswith("access-control-")]
    real = await client.get(path if path != GRAPHQL else "/graphql?query=%7Bviewer%7Bsid%7D%7D",
                            headers={"Origin": OTHER, "Accept": "application/json"}, auth=admin.auth)
    assert real.status_code == 200
    assert not [h for h in real.headers if h.startswith("access-control-")]


async def test_no_origin_is_no_preflight(client: httpx.AsyncClient) -> None:
    # An OPTIONS without Origin is a client asking what a resource serves (no credentials needed).
    for path, methods in ((GRAPHQL, {"GET", "POST", "OPTIONS"}), (ACCOUNTS, {"GET", "POST", "OPTIONS"})):
        response = await client.options(path, headers=preflight(None))
        assert response.status_code == 204
        assert {m.strip() for m in response.headers["allow"].split(",")} >= methods
        assert not [h for h in response.headers if h.startswith("access-control-")]


async def test_real_responses_to_an_allowed_origin_expose_what_a_client_reads(
    client: httpx.AsyncClient, admin: Credentials
) -> None:
    for response in (
        await client.post(GRAPHQL, json={"query": "{ viewer { sid } }"}, headers={"Origin": APP}, auth=admin.auth),
        await client.get(ACCOUNTS, headers={"Origin": APP}, auth=admin.auth),
        await client.get(ACCOUNTS, headers={"Origin": APP}),  # errors too: the app must read them
    ):
        assert response.headers["access-control-allow-origin"] == APP
        assert response.headers["access-control-allow-credentials"] == "true"
        exposed = {h.strip() for h in response.headers["access-control-expose-headers"].split(",")}
        assert {"x-request-id", "retry-after"} <= exposed


async def test_without_a_list_nothing_is_cross_origin(tmp_path_factory: pytest.TempPathFactory) -> None:
    from gateway.app import create_app, serving_stack

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('db')}/g.db", admin_token=ADMIN_TOKEN))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=serving_stack(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as plain:
            response = await plain.options(GRAPHQL, headers=preflight(APP))
            assert not [h for h in response.headers if h.startswith("access-control-")]
            response = await plain.get(ACCOUNTS, headers={"Origin": APP})
            assert response.status_code == 401
            assert not [h for h in response.headers if h.startswith("access-control-")]


@pytest.mark.parametrize("path", [GRAPHQL, ACCOUNTS])
async def test_only_a_person_is_asked_for_basic_credentials(client: httpx.AsyncClient, path: str) -> None:
    async def challenge(headers: dict[str, str]) -> str:
        if path == GRAPHQL:
            response = await client.post(GRAPHQL, json={"query": "{ viewer { sid } }"}, headers=headers)
        else:
            response = await client.get(path, headers=headers)
        assert response.status_code == 401  # the status and the body are the same for everyone
        return response.headers["www-authenticate"]

    assert await challenge({}) == BASIC  # curl, or the IDE page on the gateway's own origin
    assert await challenge({"Origin": "http://testserver"}) == BASIC  # same origin
    assert await challenge({"X-Requested-With": "XMLHttpRequest"}) == BEARER
    assert await challenge({"Origin": APP}) == BEARER
    assert await challenge({"Origin": OTHER}) == BEARER
    assert await challenge({"Sec-Fetch-Site": "cross-site"}) == BEARER
    assert await challenge({"Authorization": "Bearer ATnothing.none"}) == f'{BEARER}, error="invalid_token"'
    # A stale Basic header from a page of another origin: no dialog either.
    assert await challenge({"Authorization": "Basic eDp5", "Origin": APP}) == BEARER


def test_the_origin_list_is_exact_origins() -> None:
    settings = Settings.from_env({"GATEWAY_CORS_ORIGINS": " http://127.0.0.1:9201/ , https://App.Example.com "})
    assert settings.cors_origins == {"http://127.0.0.1:9201", "https://app.example.com"}
    assert Settings.from_env({}).cors_origins == frozenset()
    for bad in ("*", "https://*.example.com", "app.example.com", "https://app.example.com/path",
                "ftp://app.example.com", "https://user:pw@app.example.com"):
        with pytest.raises(SettingsError, match="GATEWAY_CORS_ORIGINS"):
            Settings.from_env({"GATEWAY_CORS_ORIGINS": bad})
