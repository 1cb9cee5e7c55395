"""Subscriptions' websockets at /graphql: which pages may open one, and who signs in.

- Origin: a browser sends its page's origin with the upgrade; only the gateway's own
  and those of GATEWAY_CORS_ORIGINS may open a socket (HTTP 403 otherwise). Clients
  that are not browsers send no Origin and are let through, as for HTTP.
- Credentials: a browser cannot set headers on a websocket, so `connection_init` may
  carry them: `{"Authorization": "Basic …"}` or `"Bearer …"`; else the upgrade's own
  `Authorization` header. A refusal closes the socket with 4403.
- The sign-in is checked again every `RECHECK_EVERY` seconds while events flow, so a
  suspension, a revoked token or an expired one ends the stream (close code 4401).
"""

from __future__ import annotations

import time

from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError

from gateway.domain.errors import ServiceError
from gateway.graphql.context import GraphQLContext
from gateway.graphql.loaders import create_loaders
from gateway.web.credentials import authenticate_request, own_origins

MAX_SUBSCRIPTIONS = 10
KEEP_ALIVE_SECONDS = 15.0
RECHECK_EVERY = 30.0
SIGNED_OUT = 4401


def origin_allowed(websocket: WebSocket, origin: str) -> bool:
    """Whether a page of `origin`, another than the gateway's, may open a socket."""
    origins: frozenset[str] = websocket.app.state.settings.cors_origins
    return origin.rstrip("/").lower() in origins or origin in own_origins(websocket)


async def sign_in(context: GraphQLContext) -> None:
    """Authenticate the connection from its connection_init payload or upgrade header."""
    params = context.connection_params or {}
    given = params.get("Authorization", params.get("authorization"))
    if given is not None and not isinstance(given, str):
        raise ConnectionRejectionError()
    header = given if given is not None else context.request.headers.get("authorization", "")
    try:
        login = await authenticate_request(context.request, context.db, authorization=header)
    except ServiceError:
        raise ConnectionRejectionError() from None
    context.login = login
    context.loaders = create_loaders(context.db, login.account)
    context.authorization = header
    context.signed_in_at = time.monotonic()


async def still_signed_in(context: GraphQLContext) -> bool:
    """Whether the connection's credentials still hold (checked at most every RECHECK_EVERY s)."""
    if time.monotonic() - context.signed_in_at < RECHECK_EVERY:
        return True
    try:
        context.login = await authenticate_request(context.request, context.db, authorization=context.authorization)
    except ServiceError:
        return False
    context.signed_in_at = time.monotonic()
    return True
