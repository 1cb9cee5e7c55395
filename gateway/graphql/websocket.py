"""Subscriptions' websockets at /graphql: which pages may open one, and who signs in.

- Origin: a browser sends its page's origin with the upgrade; only the gateway's own
  and those of GATEWAY_CORS_ORIGINS may open a socket (HTTP 403 otherwise). Clients
  that are not browsers send no Origin and are let through, as for HTTP.
- Credentials: a browser cannot set headers on a websocket, so `connection_init` may
  carry them: `{"Authorization": "Basic …"}` or `"Bearer …"`; else the upgrade's own
  `Authorization` header. A refusal closes the socket with 4403.
- Each subscribe passes the HTTP view's checks and its persisted documents: with
  GATEWAY_GRAPHQL_DOCUMENTS, only trusted documents run here too (`documentId` in the
  payload, or an APQ hash in `extensions`).
- The sign-in is checked again every `RECHECK_EVERY` seconds while events flow, so a
  suspension, a revoked token or an expired one ends the stream (close code 4401).
"""

from __future__ import annotations

import time
from typing import Any, cast

from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from gateway.domain.errors import ServiceError
from gateway.graphql.context import GraphQLContext
from gateway.graphql.loaders import create_loaders
from gateway.graphql.request_checks import problem_in_request
from gateway.services.persisted_documents import DocumentRefused, resolve_document
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


class GatewayTransportWS(BaseGraphQLTransportWSHandler[GraphQLContext, None]):
    """graphql-transport-ws with the HTTP view's checks on each subscribe: the same
    document rules (characters, variable depth), and persisted documents, so a gateway
    that runs only trusted documents does so over websockets too."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: dict[str, Any] = dict(message.get("payload") or {})
        if self.connection_acknowledged and message["id"] not in self.operations:
            try:
                query = await self._document(payload)
            except DocumentRefused as refused:
                await self._refuse(message["id"], str(refused), refused.code)
                return
            if query is None:
                await self._refuse(message["id"], "the subscribe payload names no document: send query or documentId",
                                   "BAD_REQUEST")
                return
            payload["query"] = query
        await super().handle_subscribe(cast(SubscribeMessage, {**message, "payload": payload}))

    async def _document(self, payload: dict[str, Any]) -> str | None:
        query, document_id, extensions = payload.get("query"), payload.get("documentId"), payload.get("extensions")
        if query == "" and (document_id is not None or extensions):
            query = None  # clients whose types insist on a query string send "" with an id
        for name, value in (("query", query), ("documentId", document_id), ("operationName", payload.get("operationName"))):
            if value is not None and not isinstance(value, str):
                raise DocumentRefused(f"{name} must be a string", "BAD_REQUEST")
        if extensions is not None and not isinstance(extensions, dict):
            raise DocumentRefused("extensions must be an object", "BAD_REQUEST")
        problem = problem_in_request(query, payload.get("variables"), extensions, payload.get("operationName"))
        if problem is not None:
            raise DocumentRefused(problem, "BAD_REQUEST")
        state = self.context.request.app.state
        return await resolve_document(
            db=self.context.db, query=query, extensions=extensions, document_id=document_id,
            trusted=state.trusted_documents, automatic=state.persisted_queries,
        )

    async def _refuse(self, operation_id: str, message: str, code: str) -> None:
        await self.send_message(cast(Any, {
            "id": operation_id, "type": "error",
            "payload": [{"message": message, "extensions": {"code": code}}],
        }))
