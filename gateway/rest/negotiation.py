"""`.json` on any path segment, and the JSON-or-XML choice.

Restcomm clients write `.json` wherever they like (`IncomingPhoneNumbers.json/PN…`,
`PN….json`). An ASGI wrapper strips it from every segment before routing and
remembers it, so the routes are declared once, without suffixes.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.web.accept import quality_of

JSON_SUFFIX = ".json"


class JsonSuffix:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and JSON_SUFFIX in scope["path"]:
            segments = scope["path"].split("/")
            stripped = [s[: -len(JSON_SUFFIX)] if s.endswith(JSON_SUFFIX) else s for s in segments]
            if stripped != segments:
                path = "/".join(stripped)
                # `client_path` keeps what the client wrote, for links it will follow.
                scope = {**scope, "path": path, "raw_path": path.encode(), "json_suffix": True,
                         "client_path": scope["path"]}
        await self.app(scope, receive, send)


def wants_json(request: Request) -> bool:
    """`.json` in the path wins; else the Accept header; XML when it says nothing."""
    if request.scope.get("json_suffix"):
        return True
    best: tuple[float, int, bool] | None = None  # (quality, -position, is json)
    for position, item in enumerate(request.headers.get("accept", "").lower().split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        if "json" not in media and "xml" not in media:
            continue
        quality = next((quality_of(p[2:]) for p in parameters if p.startswith("q=")), 1.0)
        candidate = (quality, -position, "json" in media)
        if quality > 0 and (best is None or candidate > best):
            best = candidate
    return best is not None and best[2]


def client_path(request: Request) -> str:
    """The path as the client sent it (with its `.json` suffixes)."""
    return str(request.scope.get("client_path", request.url.path))
