"""Cross-origin access for web front-ends on other origins (README: Web front-ends).

`GATEWAY_CORS_ORIGINS` lists the origins allowed, exactly (scheme, host and port; no
wildcards: a credentialed API must name its callers). Empty, the default: no
cross-origin access at all, and no CORS header is ever sent.

- A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered
  here, before routing and authentication: browsers never send credentials with one.
  An allowed origin gets the methods, the request headers the API reads, `Max-Age` and
  `Allow-Credentials`; any other origin gets a bare 204 without CORS headers, which the
  browser treats as a refusal.
- A real request from an allowed origin gets `Access-Control-Allow-Origin` (its own
  origin, never `*`), `Allow-Credentials`, and the response headers a client may read
  (`x-request-id`, `retry-after`). `Vary: Origin` goes on every response once CORS is
  configured, so a shared cache never serves one origin's answer to another.

Starlette's CORSMiddleware answers refused preflights with 400 plain text and cannot
expose headers on its preflight answer alone; this is thirty lines we can read.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS"
ALLOWED_HEADERS = "authorization, content-type, idempotency-key, x-request-id, x-requested-with, accept"
EXPOSED_HEADERS = "x-request-id, retry-after"
#: seconds a browser may reuse a preflight answer (Chromium caps it at 7,200)
MAX_AGE = "7200"


class Cors:
    def __init__(self, app: ASGIApp, origins: frozenset[str]) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.origins:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and origin in self.origins
        if scope["method"] == "OPTIONS" and origin is not None and "access-control-request-method" in headers:
            await self._preflight(origin if allowed else None, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.add_vary_header("Origin")
                if allowed:
                    assert origin is not None
                    response_headers["Access-Control-Allow-Origin"] = origin
                    response_headers["Access-Control-Allow-Credentials"] = "true"
                    response_headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, origin: str | None, send: Send) -> None:
        headers = [(b"vary", b"Origin"), (b"content-length", b"0")]
        if origin is not None:
            headers += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-credentials", b"true"),
                (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
                (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
                (b"access-control-expose-headers", EXPOSED_HEADERS.encode()),
                (b"access-control-max-age", MAX_AGE.encode()),
            ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def is_cross_origin(headers: Headers, own_origins: tuple[str, ...]) -> bool:
    """Whether a browser sent the request from a page of another origin."""
    site = headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        return True
    origin = headers.get("origin")
    return origin is not None and origin not in own_origins
