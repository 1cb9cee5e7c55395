"""GraphiQL in a real headless Chromium, against the real gateway, with no internet.

The gateway (`gateway.app.asgi`) runs under uvicorn in a background thread on a free
loopback port with a SQLite file. Chromium opens `/graphql` (a navigation: `Accept:
text/html`), types `{ viewer { sid } }` into the editor, presses the run button, and the
result pane must show the bootstrap account's SID. The page's POSTs are challenged with
401 + `WWW-Authenticate: Basic`; Playwright's `http_credentials` answers the challenge
the way a user answers the browser's login prompt, after which the browser's cached
Basic credentials go with every same-origin request. Every request the page made must
have gone to 127.0.0.1: the IDE's scripts and styles come from the gateway (SPEC §5),
which serves the copies vendored in the package (no npm, no node_modules).

A GraphiQL share link (`/graphql?query=…&variables=…&operationName=…`) opens the IDE
with all three filled in, and running it runs that operation with those variables; edits
go into the URL (as `q` and `v`), so a reload keeps them.

Chromium is Debian's package (Playwright's own browser download does not work on
these machines); a missing Chromium fails the test with what to run, it never skips.
The asset route's own behaviour (allow-list, headers, a damaged installation) is checked
without a browser at the end.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Self
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from gateway.app import asgi
from gateway.graphql import ide
from gateway.settings import Settings
from tests.support.accounts import ADMIN_EMAIL, ADMIN_SID, ADMIN_TOKEN
from tests.support.browser import CHROMIUM_ARGS, LOCAL_HOSTS, assert_loopback_only, chromium_path

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally


class ThreadedServer:
    """uvicorn serving an ASGI app from a background thread, on a socket bound up front
    (so the port is ours before the thread starts: no free-port race)."""

    def __init__(self, app: object) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = int(self.socket.getsockname()[1])
        config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the gateway did not start under uvicorn within 30 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()


@pytest.fixture
def gateway_url(tmp_path: Path) -> Iterator[str]:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/gateway.db", admin_token=ADMIN_TOKEN)
    with ThreadedServer(asgi(settings)) as running:
        yield f"http://127.0.0.1:{running.port}"


@dataclass
class Browsing:
    """One browser page and what it did: every request URL, the last response per
    (method, path), whether a GET /graphql carried credentials, and console errors."""

    page: Page
    requests: list[str] = field(default_factory=list)
    responses: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # -> (status, type)
    authorized_page_loads: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.requests, "the browser made no request at all"
        assert_loopback_only(self.requests, " (the IDE must not use a CDN)")
        status, content_type = self.responses.get(("GET", "/graphql"), (0, ""))
        assert status == 200 and content_type.startswith("text/html"), (status, content_type)
        # The page is served without credentials (the browser had none to send yet).
        assert not self.authorized_page_loads, self.authorized_page_loads
        for name in (*ide.SCRIPTS, *ide.STYLESHEETS):
            status, content_type = self.responses.get(("GET", f"{ide.ASSETS_PATH}/{name}"), (0, ""))
            assert status == 200, f"{name} was not served by the gateway ({status})"
            assert content_type == ide.ASSETS[name].content_type
        assert not self.problems, "\n".join(self.problems)


@contextmanager
def browsing() -> Iterator[Browsing]:
    chromium = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(http_credentials={"username": ADMIN_SID, "password": ADMIN_TOKEN})
            seen = Browsing(context.new_page())
            context.on("request", lambda request: seen.requests.append(request.url))
            context.on(
                "request",
                lambda request: seen.authorized_page_loads.append(request.url)
                if request.method == "GET" and urlsplit(request.url).path == "/graphql"
                and "authorization" in request.headers
                else None,
            )
            context.on(
                "response",
                lambda response: seen.responses.__setitem__(
                    (response.request.method, urlsplit(response.url).path),
                    (response.status, response.headers.get("content-type", "")),
                ),
            )
            # Anything not for the gateway is refused at once (and still recorded above),
            # so a CDN URL fails fast here instead of hanging on a network that is not there.
            context.route(
                "**/*",
                lambda route: route.continue_()
                if urlsplit(route.request.url).hostname in LOCAL_HOSTS
                else route.abort("blockedbyclient"),
            )
            seen.page.on("pageerror", lambda error: seen.problems.append(f"page error: {error}"))
            seen.page.on(
                "console",
                lambda message: seen.problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None,
            )
            yield seen
        finally:
            browser.close()


def editor_text(editor: Locator) -> str:
    return "\n".join(editor.locator(".CodeMirror-line").all_inner_texts())


def run_and_capture(page: Page, marker: str) -> dict[str, object]:
    """Press GraphiQL's run button; the JSON body of the POST whose body holds `marker`."""
    with page.expect_response(
        lambda response: urlsplit(response.url).path == "/graphql"
        and response.request.method == "POST"
        and marker in (response.request.post_data or ""),  # ours, not the introspection
        timeout=20_000,
    ) as executed:
        page.locator(".graphiql-execute-button").click()
    assert executed.value.status == 200, executed.value.text()
    body = json.loads(executed.value.request.post_data or "{}")
    assert isinstance(body, dict)
    return body


def test_graphiql_runs_a_query_in_chromium_without_leaving_loopback(gateway_url: str) -> None:
    query = "{ viewer { sid } }"
    with browsing() as seen:
        page = seen.page
        page.goto(f"{gateway_url}/graphql", wait_until="load")
        # By "load" every <script> and <link> has been requested: a CDN reference shows here.
        assert_loopback_only(seen.requests, " (the IDE must not use a CDN)")
        editor = page.locator(".graphiql-query-editor")
        editor.wait_for(state="visible", timeout=20_000)
        assert "viewer" in editor_text(editor)  # the default query, as no link gave one
        # Replace the default query with ours, as typed text (insert_text, so CodeMirror's
        # bracket auto-closing does not double the braces).
        editor.locator(".CodeMirror").click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(query)
        assert editor_text(editor).strip() == query
        # The explorer plugin is loaded: its button is in the sidebar.
        assert page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').count() == 1
        # The editor keeps the URL a link to what it holds (as `q`: see ide.py's inline script).
        page.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == {"q": [query]}, timeout=10_000)

        assert run_and_capture(page, "viewer")["query"] == query
        result = page.locator(".graphiql-response")
        result.get_by_text(ADMIN_SID).wait_for(timeout=20_000)
        assert '"viewer"' in result.inner_text()
        seen.assert_clean()


def test_a_share_link_opens_graphiql_with_its_query_variables_and_operation(gateway_url: str) -> None:
    # Two operations, so only the link's operationName says which one runs; `Me` needs the
    # variable to find the account, so the e-mail in the result proves the variables went too.
    # On one line: the gateway refuses a GET whose `query` holds line breaks (web.forms).
    query = "query Other { viewer { friendlyName } } query Me($sid: ID!) { account(sid: $sid) { email } }"
    variables = json.dumps({"sid": ADMIN_SID})
    link = f"{gateway_url}/graphql?" + urlencode({"query": query, "variables": variables, "operationName": "Me"})
    with browsing() as seen:
        page = seen.page
        page.goto(link, wait_until="load")
        editor = page.locator(".graphiql-query-editor")
        editor.wait_for(state="visible", timeout=20_000)
        assert editor_text(editor) == query
        variables_editor = page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden)")
        assert json.loads(editor_text(variables_editor)) == {"sid": ADMIN_SID}

        body = run_and_capture(page, "account(sid: $sid)")
        assert (body["query"], body["operationName"], body["variables"]) == (query, "Me", {"sid": ADMIN_SID})
        result = page.locator(".graphiql-response")
        result.get_by_text(ADMIN_EMAIL).wait_for(timeout=20_000)
        assert '"account"' in result.inner_text() and "friendlyName" not in result.inner_text()
        seen.assert_clean()

        # Edits, line breaks and all, move into the URL's q and v, so a reload shows them
        # (the gateway refuses line breaks in a GET's `query` and `variables`).
        editor.locator(".CodeMirror").click()
        page.keyboard.press("Control+End")
        page.keyboard.insert_text("\n# edited")
        variables_editor.locator(".CodeMirror").click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(f'{{\n  "sid": "{ADMIN_SID}"\n}}')
        edited = {"q": [query + "\n# edited"], "v": [f'{{\n  "sid": "{ADMIN_SID}"\n}}'], "operationName": ["Me"]}
        page.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == edited, timeout=10_000)
        page.reload(wait_until="load")
        editor.wait_for(state="visible", timeout=20_000)
        assert editor_text(editor) == edited["q"][0]
        assert editor_text(variables_editor) == edited["v"][0]

        # A link in the page's own form, as it has always written them (?q=…), opens too.
        page.goto(f"{gateway_url}/graphql?" + urlencode({"q": "{ viewer { sid } }"}), wait_until="load")
        editor.wait_for(state="visible", timeout=20_000)
        assert editor_text(editor) == "{ viewer { sid } }"
        assert not seen.problems, "\n".join(seen.problems)


# --- the asset route and the page, without a browser ------------------------------------


def sri(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


async def test_assets_are_served_from_the_package_with_long_caching() -> None:
    app = Starlette(routes=ide.ide_routes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for name, asset in ide.ASSETS.items():
            response = await client.get(f"/graphql/assets/{name}")
            assert response.status_code == 200, name
            assert response.headers["content-type"] == asset.content_type
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.content == (ide.VENDOR / name).read_bytes()
            if asset.integrity:
                # Referenced with ?v=<hash of the pinned SRI>: cached for a year, never stale.
                assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
                assert sri(response.content) == asset.integrity, f"{name} does not match its pinned SRI hash"
            else:
                # A source map is fetched by its unversioned sourceMappingURL: revalidated.
                assert response.headers["cache-control"] == "no-cache", name
        for name in ("package.json", "..%2Fpackage.json", "react%2Fpackage.json", "graphiql.js", "README.md",
                     "LICENSES%2Freact.LICENSE"):
            response = await client.get(f"/graphql/assets/{name}")
            assert response.status_code == 404, name


async def test_a_missing_vendored_file_answers_500_saying_to_reinstall(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ide, "VENDOR", tmp_path / "absent")
    app = Starlette(routes=ide.ide_routes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/graphql/assets/graphiql.min.js")
    assert any(record.levelname == "ERROR" and "incomplete" in record.getMessage() for record in caplog.records)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["cache-control"] == "no-store"
    assert "gateway/graphql/ide/vendor/graphiql.min.js is missing" in response.text
    assert "pip install --force-reinstall" in response.text
    assert "npm" not in response.text and "install-node-assets" not in response.text


def test_page_loads_everything_from_the_gateway() -> None:
    page = ide.graphiql_html("/graphql")
    assert "unpkg" not in page and "jsdelivr" not in page and "https://" not in page
    for name in (*ide.SCRIPTS, *ide.STYLESHEETS):
        assert f'"/graphql/assets/{name}?v=' in page
        assert f'integrity="{ide.ASSETS[name].integrity}"' in page
    assert 'credentials: "same-origin"' in page
    assert "install-node-assets" not in page  # a wheel user has no such script
    # Values are encoded for a <script> context: no way to close the tag from the endpoint.
    hostile = ide.graphiql_html('/x"</script><script>alert(1)</script>')
    assert "</script><script>alert(1)" not in hostile


def test_the_suggested_csp_allows_exactly_the_pages_inline_script() -> None:
    # Checked in Chromium during development: under this policy the page runs, and a
    # policy without the hash leaves it blank. Here: the hash matches the page's script.
    page = ide.graphiql_html("/graphql")
    inline = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    policy = ide.graphiql_headers("/graphql")["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
