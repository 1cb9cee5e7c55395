"""A bound on request bodies, streamed ones included.

`BodyLimit` wraps every HTTP request's `receive`: a body declared (Content-Length) or
sent (chunks, counted as they arrive) larger than `MAX_BODY` raises `BodyTooLarge` in
whoever reads it, before more than the limit is buffered. Each front-end answers it
with a 413 in its own format; anything that reads a body and does not is answered a
plain 413 here.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024


class BodyTooLarge(Exception):
    def __init__(self, limit: int = MAX_BODY) -> None:
        super().__init__(f"the request body is larger than {limit // 1024} KiB")
        self.limit = limit


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = dict(scope["headers"]).get(b"content-length", b"")
        too_large = declared.isdigit() and int(declared) > limit
        received = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal received
            if too_large:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, watched_send)
        except BodyTooLarge as error:
            if started:
                raise
            await PlainTextResponse(str(error), status_code=413)(scope, receive, send)
