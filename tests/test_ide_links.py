"""GraphiQL share links without a browser: who gets the IDE page and who gets results.

`GET /graphql?query=…&variables=…&operationName=…` is both GraphiQL's share link and a
GraphQL GET request. A browser's navigation (HTML ranked above JSON) gets the static IDE
page, without credentials and with nothing of the request in it (the page reads the link
itself, in the browser); every other client gets the query executed, as before. The
browser side (the link fills the editors and runs) is tests/test_graphiql_browser.py.
"""

from __future__ import annotations

import httpx
import pytest

from gateway.graphql import ide
from tests.support.accounts import ADMIN_SID, Credentials

pytestmark = pytest.mark.one_database  # the transport's choice, before any query

NAVIGATION = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
LINK = {
    "query": "query Me($sid: ID!) { account(sid: $sid) { sid } }",
    "variables": f'{{"sid": "{ADMIN_SID}"}}',
    "operationName": "Me",
}


async def test_a_browser_navigating_to_a_share_link_gets_the_static_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params=LINK, headers={"Accept": NAVIGATION})  # no credentials
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in response.headers
    assert "Accept" in response.headers["vary"].split(", ")  # the same URL answers JSON to API clients
    # Nothing of the request is in the page: it is the very page /graphql answers.
    bare = await client.get("/graphql", headers={"Accept": NAVIGATION})
    assert response.text == bare.text
    assert ADMIN_SID not in response.text and "account(sid" not in response.text


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json, application/json",
                                    "*/*", None, "text/html, application/json"])
async def test_any_other_client_gets_the_share_link_executed(
    client: httpx.AsyncClient, admin: Credentials, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = await client.get("/graphql", params=LINK, headers=headers, auth=admin.auth)
    assert response.status_code == 200, response.text
    assert "json" in response.headers["content-type"]
    assert response.json() == {"data": {"account": {"sid": ADMIN_SID}}}
    # ...and it is an API request like any other: no credentials, no answer.
    refused = await client.get("/graphql", params=LINK, headers=headers)
    assert refused.status_code == 401


async def test_a_navigation_to_a_mutation_link_runs_nothing(client: httpx.AsyncClient, admin: Credentials) -> None:
    # Only the page: the user sees the mutation in the editor and decides (it then goes by POST).
    link = {"query": 'mutation { createApiKey(input: {friendlyName: "x"}) { apiKey { sid } } }'}
    response = await client.get("/graphql", params=link, headers={"Accept": NAVIGATION}, auth=admin.auth)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    # Executed over GET by an API client it is still the refusal GraphQL over HTTP asks for.
    executed = await client.get("/graphql", params=link, headers={"Accept": "application/json"}, auth=admin.auth)
    assert executed.status_code == 405 and executed.headers["allow"] == "POST"


async def test_a_get_naming_a_persisted_document_is_a_request_not_the_page(client: httpx.AsyncClient) -> None:
    # No `query`, but it names what to run: it needs credentials like any request.
    for parameters in ({"documentId": "sha256:" + "0" * 64},
                       {"extensions": '{"persistedQuery": {"version": 1, "sha256Hash": "' + "0" * 64 + '"}}'}):
        response = await client.get("/graphql", params=parameters, headers={"Accept": "*/*"})
        assert response.status_code == 401, parameters
    # Without anything to run, */* (curl's default) still gets the page, as Strawberry does.
    page = await client.get("/graphql", headers={"Accept": "*/*"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (NAVIGATION, True),
        ("text/html", True),
        ("application/json;q=0.5, text/html", True),
        ("TEXT/HTML; charset=utf-8", True),
        ("text/html, application/json", False),  # a tie goes to JSON
        ("text/html;q=0.5, application/graphql-response+json", False),
        ("text/html;q=0", False),
        ("text/html;q=oops", False),
        ("text/html;q=nan", False),
        ("text/html;q=2, application/json;q=0.9", False),
        ("*/*", False),
        ("", False),
        ("application/json", False),
    ],
)
def test_prefers_html(accept: str, html: bool) -> None:
    assert ide.prefers_html(accept) is html
