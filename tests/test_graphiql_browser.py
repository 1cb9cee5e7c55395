"""GraphiQL in a real headless Chromium, against the real gateway, with no internet.

The gateway (`gateway.app.asgi`) runs under uvicorn in a background thread on a free
loopback port with a SQLite file. Chromium opens `/graphql` (a navigation: `Accept:
text/html`), types `{ viewer { sid } }` into the editor, presses the run button, and the
result pane must show the bootstrap account's SID. The page's POSTs are challenged with
401 + `WWW-Authenticate: Basic`; Playwright's `http_credentials` answers the challenge
the way a user answers the browser's login prompt, after which the browser's cached
Basic credentials go with every same-origin request. Every request the page made must
have gone to 127.0.0.1: the IDE's scripts and styles come from the gateway (SPEC §5).

Chromium is Debian's package (Playwright's own browser download does not work on
these machines); a missing Chromium fails the test with what to run, it never skips.
The asset route's own behaviour (allow-list, headers, 503 without node_modules) is
checked without a browser at the end.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from gateway.app import asgi
from gateway.graphql import ide
from gateway.settings import Settings

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

ROOT = Path(__file__).resolve().parent.parent
ADMIN_SID = "ACae6e420f425248d6a26948c17a9e2acf"
ADMIN_TOKEN = "77f8c12cc7b8f8423e5c38b035249166"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
NON_NETWORK_SCHEMES = {"data", "blob", "about", "chrome-error"}


def chromium_path() -> str:
    """Debian's Chromium. Missing: the test FAILS (never skips) and says what to run."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Chromium is not installed: run scripts/ensure-system-packages "
            "(as root it runs `apt-get install -y chromium`)",
            pytrace=False,
        )
    return path


def install_node_assets() -> None:
    """scripts/install-node-assets is idempotent and silent when nothing changed."""
    done = subprocess.run(
        [str(ROOT / "scripts/install-node-assets")], check=False, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"scripts/install-node-assets failed:\n{done.stdout}{done.stderr}"


def assert_loopback_only(urls: list[str]) -> None:
    away = [
        url for url in urls
        if urlsplit(url).scheme not in NON_NETWORK_SCHEMES and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert not away, "requests left 127.0.0.1 (the IDE must not use a CDN):\n" + "\n".join(away)


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
    install_node_assets()
    settings = Settings(database_url=f"sqlite:///{tmp_path}/gateway.db", admin_token=ADMIN_TOKEN)
    with ThreadedServer(asgi(settings)) as running:
        yield f"http://127.0.0.1:{running.port}"


def test_graphiql_runs_a_query_in_chromium_without_leaving_loopback(gateway_url: str) -> None:
    chromium = chromium_path()
    from playwright.sync_api import sync_playwright

    host = urlsplit(gateway_url).netloc
    query = "{ viewer { sid } }"
    page_url = f"http://{host}/graphql"

    requests: list[str] = []
    responses: dict[tuple[str, str], tuple[int, str]] = {}  # (method, path) -> (status, type)
    problems: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(http_credentials={"username": ADMIN_SID, "password": ADMIN_TOKEN})
            context.on("request", lambda request: requests.append(request.url))
            context.on(
                "response",
                lambda response: responses.__setitem__(
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
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None,
            )

            page.goto(page_url, wait_until="load")
            # By "load" every <script> and <link> has been requested: a CDN reference shows here.
            assert_loopback_only(requests)
            editor = page.locator(".graphiql-query-editor")
            editor.wait_for(state="visible", timeout=20_000)
            # Replace the default query with ours, as typed text (insert_text, so CodeMirror's
            # bracket auto-closing does not double the braces).
            editor.locator(".CodeMirror").click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(query)
            assert "".join(editor.locator(".CodeMirror-line").all_inner_texts()).strip() == query
            # The explorer plugin is loaded: its button is in the sidebar.
            assert page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').count() == 1

            with page.expect_response(
                lambda response: urlsplit(response.url).path == "/graphql"
                and response.request.method == "POST"
                and "viewer" in (response.request.post_data or ""),  # ours, not the introspection
                timeout=20_000,
            ) as executed:
                page.locator(".graphiql-execute-button").click()
            assert executed.value.status == 200, executed.value.text()

            result = page.locator(".graphiql-response")
            result.get_by_text(ADMIN_SID).wait_for(timeout=20_000)
            assert '"viewer"' in result.inner_text()
        finally:
            browser.close()

    assert requests, "the browser made no request at all"
    assert_loopback_only(requests)
    status, content_type = responses.get(("GET", "/graphql"), (0, ""))
    assert status == 200 and content_type.startswith("text/html"), (status, content_type)
    for name in (*ide.SCRIPTS, *ide.STYLESHEETS):
        status, content_type = responses.get(("GET", f"{ide.ASSETS_PATH}/{name}"), (0, ""))
        assert status == 200, f"{name} was not served by the gateway ({status})"
        assert content_type == ide.ASSETS[name].content_type
    assert not problems, "\n".join(problems)


# --- the asset route, without a browser -------------------------------------------------


async def test_assets_are_served_from_node_modules_with_long_caching() -> None:
    install_node_assets()
    app = Starlette(routes=ide.ide_routes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for name, asset in ide.ASSETS.items():
            response = await client.get(f"/graphql/assets/{name}")
            assert response.status_code == 200, name
            assert response.headers["content-type"] == asset.content_type
            assert "immutable" in response.headers["cache-control"]
            assert response.headers["x-content-type-options"] == "nosniff"
            if asset.integrity:
                # The installed file is exactly the pinned version the page's SRI expects.
                digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
                assert asset.integrity == f"sha384-{digest}", f"{name} does not match its pinned SRI hash"
        for name in ("package.json", "..%2Fpackage.json", "react%2Fpackage.json", "graphiql.js"):
            response = await client.get(f"/graphql/assets/{name}")
            assert response.status_code == 404, name


async def test_assets_answer_503_with_what_to_run_when_node_modules_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ide, "NODE_MODULES", tmp_path / "absent")
    app = Starlette(routes=ide.ide_routes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/graphql/assets/graphiql.min.js")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/plain")
    assert "scripts/install-node-assets" in response.text


def test_page_loads_everything_from_the_gateway() -> None:
    page = ide.graphiql_html("/graphql")
    assert "unpkg" not in page and "jsdelivr" not in page and "https://" not in page
    for name in (*ide.SCRIPTS, *ide.STYLESHEETS):
        assert f'"/graphql/assets/{name}?v=' in page
    assert 'credentials: "same-origin"' in page
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
