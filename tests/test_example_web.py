"""The example single-page app (examples/web) against a real gateway, from another origin.

`npm run build` in examples/web runs codegen over schema.graphql, `tsc --strict` and the
production build; dist/ is then served by a static server on one loopback port and the
gateway runs as a real process on another, allowing that origin (GATEWAY_CORS_ORIGINS)
and running only the documents of the build's manifest (GATEWAY_GRAPHQL_DOCUMENTS). A
user with an e-mail, a password and twelve numbers (a page of ten and a second page) is
made over REST; then Debian's headless Chromium goes through everything the app does:
a wrong password, sign-in, both pages, search and purchase, userErrors next to their
fields, a voice URL change, a release, live updates (a number bought, changed and released
over REST shows up, changes and goes without a reload), sign-out (after which the token is
refused and the websocket closed), and a token revoked behind the app's back, which sends
it back to the sign-in form.

Every request the page makes must stay on 127.0.0.1, every GraphQL request must name its
document by `documentId` and carry no `query` (over HTTP; over the websocket an empty one,
as graphql-ws's payload has one), and the page must log no error.
node_modules comes from `scripts/install-node-assets --with-codegen`; without it the test
fails saying so (it never skips).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import (
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    WebSocket,
    WebSocketRoute,
    expect,
    sync_playwright,
)

from tests.support.accounts import ADMIN_SID, ADMIN_TOKEN, numbers_path
from tests.support.browser import CHROMIUM_ARGS, LOCAL_HOSTS, assert_loopback_only, chromium_path
from tests.support.server import gateway_server

pytestmark = [pytest.mark.slow, pytest.mark.one_database]

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "examples" / "web"
DIST = WEB / "dist"
#: client-preset's trusted-documents manifest (hash -> document), written by codegen
MANIFEST = WEB / "src" / "gql" / "persisted-documents.json"
ACCOUNTS = "/restcomm/2012-04-24/Accounts.json"

EMAIL = "web.user@example.com"
PASSWORD = "correct-horse-battery"
FRIENDLY_NAME = "Web user"
#: twelve numbers: the app's page of ten, then a second page of two
OWNED = [f"+1415555{n:04d}" for n in range(100, 112)]
#: bought over REST while the app is open; it sorts first, so it must not simply be appended
ELSEWHERE = "+14155550099"
#: Chromium's own line for a response with an error status; expected for the 401s below
HTTP_401_LINE = "Failed to load resource: the server responded with a status of 401"


def build_app() -> None:
    """`npm run build`: codegen, tsc --strict, vite build. Prints the bundle's size."""
    if not (WEB / "node_modules").is_dir():
        pytest.fail("examples/web has no node_modules: run scripts/install-node-assets --with-codegen", pytrace=False)
    done = subprocess.run(
        ["npm", "run", "build"], cwd=WEB, check=False, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"npm run build failed:\n{done.stdout}{done.stderr}"
    scripts = sorted((DIST / "assets").glob("*.js"))
    assert scripts, "the build wrote no JavaScript"
    raw = sum(len(script.read_bytes()) for script in scripts)
    gzipped = sum(len(gzip.compress(script.read_bytes(), compresslevel=9)) for script in scripts)
    print(f"\nexamples/web production JavaScript: {raw} bytes, {gzipped} bytes gzipped ({len(scripts)} file(s))")


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """`directory` over HTTP on a free loopback port, from a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietFiles, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def arrange_user(gateway: str) -> str:
    """A Developer subaccount of the bootstrap administrator, signing in with an e-mail and
    a password, that owns OWNED; its sid."""
    with httpx.Client(base_url=gateway, timeout=30) as http:
        created = http.post(
            ACCOUNTS,
            data={"EmailAddress": EMAIL, "Password": PASSWORD, "FriendlyName": FRIENDLY_NAME},
            auth=(ADMIN_SID, ADMIN_TOKEN),
        )
        assert created.status_code == 201, created.text
        sid: str = created.json()["sid"]
        for number in OWNED:
            bought = http.post(f"{numbers_path(sid)}.json", data={"PhoneNumber": number}, auth=(EMAIL, PASSWORD))
            assert bought.status_code == 200, bought.text
    return sid


def graphql_as(gateway: str, access_token: str, document_id: str) -> httpx.Response:
    """One trusted document, run outside the browser with an access token."""
    return httpx.post(
        f"{gateway}/graphql",
        json={"documentId": document_id, "variables": {}},
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=30,
    )


def test_the_example_app_runs_against_the_gateway_from_another_origin(tmp_path: Path) -> None:
    chromium = chromium_path()
    build_app()
    manifest: dict[str, str] = json.loads(MANIFEST.read_text())
    document_ids = {operation_name(text): document_id for document_id, text in manifest.items()}

    expect.set_options(timeout=20_000)
    with static_server(DIST) as app, gateway_server(
        {
            "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/g.db",
            "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
            "GATEWAY_CORS_ORIGINS": app,
            "GATEWAY_GRAPHQL_DOCUMENTS": str(MANIFEST),
        }
    ) as gateway_process:
        gateway = gateway_process.url
        ws_url = f"{gateway.replace('http', 'ws', 1)}/graphql"
        user_sid = arrange_user(gateway)

        requests: list[str] = []
        graphql_bodies: list[dict[str, Any]] = []
        problems: list[str] = []
        sockets: list[WebSocket] = []
        #: graphql-transport-ws messages the page sent, by type (connection_init, subscribe, …)
        frames: dict[str, list[Any]] = {}

        def is_graphql(response: Response) -> bool:
            return response.url == f"{gateway}/graphql" and response.request.method == "POST"

        def on_websocket(socket: WebSocket) -> None:
            # Playwright's routes do not see websockets: record them here.
            sockets.append(socket)
            requests.append(socket.url)

            def on_frame(payload: str | bytes) -> None:
                message = json.loads(payload)
                frames.setdefault(message["type"], []).append(message.get("payload"))

            socket.on("framesent", on_frame)

        def on_console(message: ConsoleMessage) -> None:
            if message.type != "error":
                return
            # Chromium logs every 401 it receives; the ones this test provokes are expected.
            if message.text.startswith(HTTP_401_LINE) and message.location.get("url") == f"{gateway}/graphql":
                return
            problems.append(f"console {message.type}: {message.text}")

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context()

                def on_request(request: Request) -> None:
                    requests.append(request.url)
                    if request.url == f"{gateway}/graphql" and request.method == "POST":
                        graphql_bodies.append(json.loads(request.post_data or "null"))

                context.on("request", on_request)
                # Anything not for loopback is refused at once (and still recorded above).
                context.route(
                    "**/*",
                    lambda route: route.continue_()
                    if urlsplit(route.request.url).hostname in LOCAL_HOSTS
                    else route.abort("blockedbyclient"),
                )
                page = context.new_page()
                page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
                page.on("console", on_console)
                page.on("websocket", on_websocket)
                page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.type} {dialog.message}"))

                # A link cannot point the sign-in form (and so the password) at another server.
                page.goto(f"{app}/?gateway=https://gateway.example.com", wait_until="load")
                refusal = "Cannot start: ?gateway= may name a gateway on this machine only"
                expect(page.get_by_text(refusal)).to_be_visible()

                page.goto(f"{app}/?gateway={gateway}", wait_until="load")
                expect(page.get_by_text(f"to the numbers gateway at {gateway}")).to_be_visible()

                # --- a wrong password: a message, no browser dialog, no hang ----------------
                with page.expect_response(is_graphql) as refused:
                    sign_in(page, EMAIL, "not-the-password")
                assert refused.value.status == 401
                # Bearer, never Basic: a Basic challenge makes the browser open its own dialog.
                assert refused.value.headers["www-authenticate"].startswith("Bearer"), refused.value.headers
                expect(page.get_by_role("alert")).to_have_text("Wrong e-mail or password.")

                # --- sign in ---------------------------------------------------------------
                with page.expect_response(is_graphql) as signed_in:
                    sign_in(page, EMAIL, PASSWORD)
                assert signed_in.value.status == 200
                access_token: str = signed_in.value.json()["data"]["createAccessToken"]["accessToken"]
                expect(page.get_by_text(f"Signed in as {FRIENDLY_NAME}")).to_be_visible()
                # The token lives in the page's memory only.
                stored = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
                assert stored == [0, 0, ""], stored

                # --- the first page, then the next ------------------------------------------
                headings = numbers(page).get_by_role("heading")
                expect(headings).to_have_text(OWNED[:10])
                expect(page.get_by_text("10 of 12 shown")).to_be_visible()
                page.get_by_role("button", name="Load more").click()
                expect(headings).to_have_text(OWNED)
                expect(page.get_by_text("12 of 12 shown")).to_be_visible()
                expect(page.get_by_role("button", name="Load more")).to_have_count(0)

                # --- search: a bad area code is shown at its field ---------------------------
                area_code = page.get_by_label("Area code")
                area_code.fill("12")
                page.get_by_role("button", name="Search").click()
                expect(area_code).to_have_attribute("aria-invalid", "true")
                expect(area_code).to_have_accessible_description(re.compile("areaCode"))

                # --- purchase: a userError at its field, then a number bought ----------------
                phone_number = page.get_by_label("Phone number")
                phone_number.fill("12")
                page.get_by_role("button", name="Buy", exact=True).click()
                expect(phone_number).to_have_attribute("aria-invalid", "true")
                expect(phone_number).to_have_accessible_description(re.compile("phoneNumber"))

                area_code.fill("415")
                page.get_by_role("button", name="Search").click()
                expect(area_code).to_have_attribute("aria-invalid", "false")
                offered = page.get_by_role("list", name="Available numbers").get_by_role("button")
                expect(offered.first).to_be_visible()
                label = offered.first.get_attribute("aria-label") or ""
                chosen = label.removeprefix("Choose ")
                assert re.fullmatch(r"\+1415\d{7}", chosen), label
                offered.first.click()
                expect(phone_number).to_have_value(chosen)
                page.get_by_role("button", name="Buy", exact=True).click()
                buying = page.get_by_role("region", name="Buy a number")
                expect(buying.get_by_role("status")).to_have_text(f"Bought {chosen}.")
                # In its place by phone number, as the gateway pages them.
                expect(headings).to_have_text(sorted([*OWNED, chosen]))
                expect(page.get_by_text("13 of 13 shown")).to_be_visible()

                # --- update a voice URL: a userError at its field, then the change ------------
                first = number_item(page, OWNED[0])
                voice_url = first.get_by_label("Voice URL")
                voice_url.fill("not a url")
                first.get_by_role("button", name="Save").click()
                expect(voice_url).to_have_attribute("aria-invalid", "true")
                expect(voice_url).to_have_accessible_description(re.compile("voice.url"))
                voice_url.fill("https://example.com/voice")
                first.get_by_role("button", name="Save").click()
                expect(first.get_by_role("status")).to_have_text("Saved.")
                expect(voice_url).to_have_attribute("aria-invalid", "false")
                expect(first.locator(".voice-url")).to_have_text("https://example.com/voice")

                # --- release a number (it asks once more first) -------------------------------
                second = number_item(page, OWNED[1])
                second.get_by_role("button", name="Release").click()
                second.get_by_role("button", name="Yes, release it").click()
                expect(number_item(page, OWNED[1])).to_have_count(0)
                expect(page.get_by_text("12 of 12 shown")).to_be_visible()

                # --- live: a number bought, changed and released elsewhere (REST) -------------
                expect(live(page)).to_have_text("live")
                held_now = sorted([OWNED[0], *OWNED[2:], chosen])
                with httpx.Client(base_url=gateway, auth=(EMAIL, PASSWORD), timeout=30) as http:
                    bought = http.post(f"{numbers_path(user_sid)}.json", data={"PhoneNumber": ELSEWHERE})
                    assert bought.status_code == 200, bought.text
                    elsewhere = numbers_path(user_sid, f"/{bought.json()['sid']}.json")
                    expect(headings).to_have_text(sorted([*held_now, ELSEWHERE]))
                    expect(page.get_by_text("13 of 13 shown")).to_be_visible()

                    changed = http.post(
                        elsewhere, data={"FriendlyName": "Front desk", "VoiceUrl": "https://example.com/front-desk"}
                    )
                    assert changed.status_code == 200, changed.text
                    details = number_item(page, ELSEWHERE).locator(".details")
                    expect(details).to_have_text("Front desk · calls go to https://example.com/front-desk")

                    released = http.delete(elsewhere)
                    assert released.status_code == 204, released.text
                    expect(number_item(page, ELSEWHERE)).to_have_count(0)
                    expect(headings).to_have_text(held_now)
                    expect(page.get_by_text("12 of 12 shown")).to_be_visible()

                # --- sign out: the token revoked, the websocket closed -------------------------
                assert len(sockets) == 1, [socket.url for socket in sockets]
                with sockets[0].expect_event("close"):
                    page.get_by_role("button", name="Sign out").click()
                expect(page.get_by_text("Signed out.")).to_be_visible()
                expect(page.get_by_role("button", name="Sign in")).to_be_visible()

                # --- a token revoked elsewhere: the next request sends the app to sign-in ------
                with page.expect_response(is_graphql) as signed_in_again:
                    sign_in(page, EMAIL, PASSWORD)
                second_token: str = signed_in_again.value.json()["data"]["createAccessToken"]["accessToken"]
                # The first page in, and the websocket signed in, before the token goes, so the
                # click below is the next request.
                expect(number_item(page, OWNED[0])).to_be_visible()
                expect(live(page)).to_have_text("live")
                revoked = graphql_as(gateway, second_token, document_ids["SignOut"])
                assert revoked.status_code == 200 and revoked.json()["data"]["revokeAccessToken"]["userErrors"] == []
                assert len(sockets) == 2, [socket.url for socket in sockets]
                with sockets[1].expect_event("close"):
                    number_item(page, OWNED[0]).get_by_role("button", name="Save").click()
                expect(page.get_by_text("Your session has ended")).to_be_visible()
                expect(page.get_by_role("button", name="Sign in")).to_be_visible()

                # --- the gateway closing the websocket -----------------------------------------
                # Another page, whose socket Playwright relays so that the test can close the
                # page's side with the gateway's codes: after 4503 (the gateway lost its event
                # feed) and 4429 (the page fell behind) it reads the first page again and goes
                # on; 4401 (the credentials stopped holding) ends the session.
                relayed: list[WebSocketRoute] = []

                def relay(socket: WebSocketRoute) -> None:
                    relayed.append(socket)
                    socket.connect_to_server()

                other = context.new_page()
                other.on("pageerror", lambda error: problems.append(f"page error: {error}"))
                other.on("console", on_console)
                other.route_web_socket(ws_url, relay)
                other.goto(f"{app}/?gateway={gateway}", wait_until="load")
                sign_in(other, EMAIL, PASSWORD)
                expect(live(other)).to_have_text("live")
                for code in (4503, 4429):
                    with other.expect_request(lambda request: operation(request) == "Numbers"):
                        relayed[-1].close(code=code, reason="closed by the test")
                    expect(live(other)).to_have_text("live")
                assert len(relayed) == 3, relayed
                relayed[-1].close(code=4401, reason="the credentials no longer hold; sign in again")
                expect(other.get_by_text("Your session has ended")).to_be_visible()
            finally:
                browser.close()

        # --- what the gateway holds, and what the browser sent -------------------------------
        after_sign_out = graphql_as(gateway, access_token, document_ids["Numbers"])
        assert after_sign_out.status_code == 401, after_sign_out.text
        assert 'error="invalid_token"' in after_sign_out.headers["www-authenticate"]
        with httpx.Client(base_url=gateway, auth=(EMAIL, PASSWORD), timeout=30) as http:
            listed = http.get(f"{numbers_path(user_sid)}.json", params={"PageSize": 50})
            assert listed.status_code == 200, listed.text
            held = {number["phone_number"]: number for number in listed.json()["incomingPhoneNumbers"]}
        assert sorted(held) == sorted([OWNED[0], *OWNED[2:], chosen])
        assert held[OWNED[0]]["voice_url"] == "https://example.com/voice"

    assert requests, "the browser made no request at all"
    assert_loopback_only(requests)
    assert graphql_bodies, "the app sent no GraphQL request"
    for body in graphql_bodies:
        # A production build names its documents; the gateway holds their text.
        assert "query" not in body and body.get("documentId") in manifest, body
    sent = {body.get("operationName") for body in graphql_bodies}
    assert sent == {
        "SignIn", "Numbers", "AvailableNumbers", "PurchaseNumber", "UpdateVoiceUrl", "ReleaseNumber", "SignOut"
    }, sent

    # The websocket: one per session, at the gateway's /graphql, signed in with the
    # session's token, subscribing by documentId with no query text.
    assert [socket.url for socket in sockets] == [ws_url] * 2
    assert frames["connection_init"] == [
        {"Authorization": f"Bearer {access_token}"}, {"Authorization": f"Bearer {second_token}"}
    ], frames["connection_init"]
    assert len(frames["subscribe"]) == 2, frames["subscribe"]
    for payload in frames["subscribe"]:
        assert payload["query"] == "" and payload["documentId"] == document_ids["NumberEvents"], payload
    assert not problems, "\n".join(problems)


def operation(request: Request) -> str | None:
    """The operationName of a GraphQL request the page sends."""
    if request.method != "POST" or not request.url.endswith("/graphql"):
        return None
    body = json.loads(request.post_data or "null")
    return body.get("operationName") if isinstance(body, dict) else None


def operation_name(document: str) -> str:
    """The name of a manifest document's operation (its fragments come first)."""
    found = re.search(r"\b(?:query|mutation|subscription) (\w+)", document)
    assert found is not None, document
    return found.group(1)


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def numbers(page: Page) -> Locator:
    """The list of the account's numbers (not the carrier's offer)."""
    return page.get_by_role("list", name="Your numbers")


def live(page: Page) -> Locator:
    """The live-updates indicator next to the signed-in account."""
    return page.locator("header").get_by_role("status")


def number_item(page: Page, phone_number: str) -> Locator:
    return numbers(page).get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=phone_number, exact=True)
    )
