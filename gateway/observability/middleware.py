"""Outermost-but-one middleware: request id, metrics, one access-log line per request.

Runs inside JsonSuffix so the route Starlette matched is visible in the scope. A client
that went away is no error: it is logged at INFO and counted as 499 (nginx's "client
closed request"). An unexpected error the application already answered (Starlette
re-raises it afterwards) ends here, so the connection stays usable.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS

access_log = logging.getLogger("gateway.access")
log = logging.getLogger("gateway")

#: `{number_sid:number_sid}` in a route's path is `{number_sid}` in a metric label
_CONVERTOR = re.compile(r":\w+\}")


class Observability:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = False
        began = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            status = 499
        except Exception:
            if not started:  # nothing answered yet: answer, so the client is not left hanging
                log.exception("unexpected error before any response (request id %s)", request_id)
                await _plain_500(send_with_id, request_id)
        finally:
            elapsed = time.perf_counter() - began
            route = _CONVERTOR.sub("}", getattr(scope.get("route"), "path", None) or "unmatched")
            HTTP_REQUESTS.labels(route, scope["method"], str(status)).inc()
            HTTP_LATENCY.labels(route).observe(elapsed)
            access_log.info(json.dumps({
                "request_id": request_id, "method": scope["method"], "path": scope.get("client_path", scope["path"]),
                "route": route, "status": status, "duration_ms": round(elapsed * 1000, 2),
            }))


async def _plain_500(send: Send, request_id: str) -> None:
    body = f"unexpected error; request id {request_id}".encode()
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
