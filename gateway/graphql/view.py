"""The ASGI view at /graphql: Strawberry's view with the gateway's context and refusals.

- Every operation needs credentials, HTTP Basic or a Bearer access token (401 with the
  challenge `web.credentials.challenge` picks, 403 for an account that is not active,
  503 with Retry-After when no database connection is free), checked before anything
  runs. Websockets (subscriptions) sign in at connection_init (`graphql.websocket`).
- The GraphiQL page (a browser's GET: HTML preferred, with no query or a share link's
  query) is served without credentials: it is static and holds no data.
- The document may be persisted (`services.persisted_documents`): an APQ hash or a
  `documentId`; with trusted documents configured, only those run.
- Hostile requests are refused with a 4xx before execution: a body over
  `web.body.MAX_BODY` (413, streamed bodies included), JSON that does not parse
  (orjson: invalid UTF-8, lone surrogates, nesting over 1,024), variables nested too
  deep or holding characters no text may hold (`request_checks`), a query string that
  is not valid UTF-8. Several operations without `operationName` are refused by the
  schema (`schema.OperationNameRequired`).
- Mutations over GET: 405 with `Allow: POST`; `OPTIONS` answers 204 with `Allow`.
- `Accept: application/graphql-response+json` gets that media type, and 400 for a
  document that did not parse or validate (GraphQL over HTTP).
- Transport errors answer JSON `{"errors": [...]}`, not plain text; an unexpected
  failure outside execution is logged and answered 500 with the request id; a client
  that went away is no error (the access log says 499).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_to_bytes

import orjson
from cross_web import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from gateway.domain.errors import ServiceError
from gateway.graphql import ide, websocket
from gateway.graphql.context import GraphQLContext, build_context
from gateway.graphql.permissions import AuthenticationFailed, authenticate_request
from gateway.graphql.request_checks import problem_in_request
from gateway.graphql.schema import UNEXPECTED
from gateway.graphql.schema import schema as default_schema
from gateway.services.persisted_documents import DocumentRefused, resolve_document
from gateway.web.accept import preferred
from gateway.web.body import BodyTooLarge
from gateway.web.context import request_database, request_id

log = logging.getLogger("gateway.graphql")


class GatewayGraphQL(GraphQL[GraphQLContext, None]):
    graphql_transport_ws_handler_class = websocket.GatewayTransportWS

    def __init__(self, schema: Any = None) -> None:
        super().__init__(
            schema or default_schema, graphql_ide="graphiql", allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,), keep_alive=True,
            keep_alive_interval=websocket.KEEP_ALIVE_SECONDS, connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=websocket.MAX_SUBSCRIPTIONS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        if request.method == "OPTIONS":  # what /graphql serves; no credentials needed (CORS preflights are web.cors's)
            await Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})(scope, receive, send)
            return
        try:
            if request.method == "GET":  # strictly decoded: invalid UTF-8 is a 400 naming the parameter
                _check_utf8(scope.get("query_string", b""))
            response = await self.run(request)
            if _wants_graphql_response(request):
                response = _as_graphql_response(response, request)
        except AuthenticationFailed as refused:
            response = refused.response(request, request_id(request))
        except DocumentRefused as refused:
            response = _transport_error(refused.status, str(refused), request_id(request), request.method,
                                        code=refused.code)
        except HTTPException as error:
            response = _transport_error(error.status_code, error.reason, request_id(request), request.method)
        except ServiceError as error:
            response = _transport_error(400, error.message_for(), request_id(request), request.method)
        except BodyTooLarge as error:
            response = _transport_error(413, str(error), request_id(request), request.method)
        except ClientDisconnect:
            raise  # nobody to answer; the access log records it
        except Exception:
            log.exception("unexpected error serving GraphQL (request id %s)", request_id(request))
            response = _transport_error(500, UNEXPECTED, request_id(request), request.method)
        await response(scope, receive, send)

    def is_ide_request(self, request: Request) -> bool:
        """Whether `request` gets the GraphiQL page, which is served without credentials."""
        return self.should_render_graphql_ide(self.request_adapter_class(request))

    def should_render_graphql_ide(self, request: Any) -> bool:
        # The page is static and holds no data, so any GET it answers runs nothing. A
        # GraphiQL share link (?query=…&variables=…&operationName=…) opens the IDE with it
        # filled in when a browser navigates to it (HTML ranked above JSON); curl, fetch and
        # GraphQL clients get the result, as before. Without a query it is Strawberry's rule
        # (text/html or */*), unless the GET names a persisted document: then it runs too.
        if request.method != "GET":
            return False
        parameters = request.query_params
        if parameters.get("query") is not None:
            return ide.prefers_html(request.headers.get("accept", ""))
        if parameters.get("documentId") is not None or parameters.get("extensions") is not None:
            return False
        return super().should_render_graphql_ide(request)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> GraphQLContext:
        if isinstance(request, WebSocket):  # it signs in at connection_init (`on_ws_connect`)
            return build_context(request, None, request_database(request), None)
        assert isinstance(response, Response)
        db = request_database(request)
        login = None if self.is_ide_request(request) else await authenticate_request(request, db)
        context = build_context(request, response, db, login)
        request.state.graphql_context = context  # for the answer's status (`_as_graphql_response`)
        return context

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        # Strawberry lets same-origin and Origin-less handshakes through and asks this for
        # the others (403 when it says no): the pages GATEWAY_CORS_ORIGINS lists.
        return websocket.origin_allowed(request, origin)

    async def on_ws_connect(self, context: GraphQLContext) -> UnsetType | None | dict[str, object]:
        await websocket.sign_in(context)
        return UNSET

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise HTTPException(400, f"the request body is not valid JSON: {error}") from None

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        parsed = await super().parse_http_body(request)
        for data in parsed if isinstance(parsed, list) else [parsed]:
            problem = problem_in_request(data.query, data.variables, data.extensions, data.operation_name)
            if problem is not None:
                raise HTTPException(400, problem)
        return parsed

    async def _document(self, request: Request, data: GraphQLRequestData) -> str | None:
        """The document the request runs: its own, or one it names (services.persisted_documents)."""
        document_id = None
        if data.query is None:  # only a persisted request names its document: read the id
            raw = request.query_params if request.method == "GET" else self.parse_json(await request.body())
            named = raw.get("documentId") if isinstance(raw, Mapping) else None
            if named is not None and not isinstance(named, str):
                raise HTTPException(400, "documentId must be a string")
            document_id = named
        state = request.app.state
        return await resolve_document(
            db=request_database(request), query=data.query, extensions=data.extensions, document_id=document_id,
            trusted=state.trusted_documents, automatic=state.persisted_queries,
        )

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        context, data, request = kwargs.get("context"), kwargs.get("request_data"), kwargs.get("request")
        if isinstance(context, GraphQLContext) and data is not None:
            context.operation_named = data.operation_name is not None
        if isinstance(request, Request) and isinstance(data, GraphQLRequestData):
            data.query = await self._document(request, data)
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, "mutations are only allowed over POST") from error
            raise

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        # Strawberry's, serialised by orjson (json.dumps cost about 1 ms a page).
        response = Response(orjson.dumps(response_data), status_code=sub_response.status_code or 200,
                            media_type="application/json", background=sub_response.background)
        response.headers.raw.extend(sub_response.headers.raw)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        # The self-hosted GraphiQL (never Strawberry's CDN page), under a strict CSP.
        endpoint = request.url.path
        return HTMLResponse(ide.graphiql_html(endpoint=endpoint), headers=ide.graphiql_headers(endpoint))


def _check_utf8(query_string: bytes) -> None:
    # Only UTF-8 here: what each value may hold is checked once parsed (a document and its
    # JSON may hold line breaks, as GraphiQL's share links do; their strings may not).
    for piece in query_string.split(b"&"):
        name, _, value = piece.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            shown = unquote_to_bytes(name).decode("utf-8", "replace")[:40]
            raise HTTPException(400, f"{shown} is not valid UTF-8 text") from None


def _transport_error(status: int, message: str, request_id: str, method: str, code: str | None = None) -> Response:
    # 405 to a GET is a mutation over GET: only POST would do. Otherwise GET and POST both serve.
    headers = {"Allow": "POST" if method == "GET" else "GET, POST"} if status == 405 else {}
    extensions = {"code": code, "requestId": request_id} if code is not None else {"requestId": request_id}
    body: dict[str, Any] = {"errors": [{"message": message, "extensions": extensions}]}
    if status != 200:  # a persisted query not found (200) is Apollo's retry signal, not a null result
        body = {"data": None, **body}
    return JSONResponse(body, status_code=status, headers=headers)


GRAPHQL_RESPONSE = "application/graphql-response+json"


def _wants_graphql_response(request: Request) -> bool:
    """Whether the client prefers GraphQL over HTTP's own media type to plain JSON."""
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE in accept and preferred(accept, (GRAPHQL_RESPONSE, "application/json")) == GRAPHQL_RESPONSE


def _as_graphql_response(response: Response, request: Request) -> Response:
    """In `application/graphql-response+json`, a document that did not parse or validate
    is a 400 (nothing ran); executed operations keep their status."""
    if response.headers.get("content-type", "").startswith("application/json"):
        response.headers["content-type"] = GRAPHQL_RESPONSE
        context = request.scope.get("state", {}).get("graphql_context")
        if response.status_code == 200 and context is not None and not context.execution_started:
            response.status_code = 400
    return response
