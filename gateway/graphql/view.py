"""The ASGI view at /graphql: Strawberry's view with the gateway's context and refusals.

- Every operation needs HTTP Basic credentials (401 with the Restcomm realm, 403 for
  an account that is not active), checked before anything runs.
- The GraphiQL page (GET with `Accept: text/html` and no query) is served without
  credentials: it is static and holds no data; its requests then authenticate.
  Its HTML comes from `gateway.graphql.ide` (assets served by the gateway itself) when
  that module is installed, else from Strawberry's default.
- Mutations over GET: 405 with `Allow: POST` (GraphQL over HTTP).
- Transport errors answer JSON `{"errors": [...]}`, not plain text; an unexpected
  failure outside execution is logged and answered 500 with the request id.
"""

from __future__ import annotations

import logging
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError

from gateway.graphql import ide
from gateway.graphql.context import GraphQLContext, build_context, request_id_of
from gateway.graphql.permissions import AuthenticationFailed, authenticate_request
from gateway.graphql.schema import UNEXPECTED
from gateway.graphql.schema import schema as default_schema

log = logging.getLogger("gateway.graphql")


class GatewayGraphQL(GraphQL[GraphQLContext, None]):
    def __init__(self, schema: Any = None) -> None:
        super().__init__(schema or default_schema, graphql_ide="graphiql", allow_queries_via_get=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except AuthenticationFailed as refused:
            response = refused.response(request_id_of(request))
        except HTTPException as error:
            response = _transport_error(error.status_code, error.reason, request_id_of(request), request.method)
        except Exception:
            request_id = request_id_of(request)
            log.exception("unexpected error serving GraphQL (request id %s)", request_id)
            response = _transport_error(500, UNEXPECTED, request_id, request.method)
        await response(scope, receive, send)

    def is_ide_request(self, request: Request) -> bool:
        return self.should_render_graphql_ide(self.request_adapter_class(request))

    async def get_context(self, request: Request, response: Any) -> GraphQLContext:  # type: ignore[override]
        state = request.app.state
        caller = None if self.is_ide_request(request) else await authenticate_request(request, state.sessionmaker)
        return build_context(request, response, caller)

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, "mutations are only allowed over POST") from error
            raise

    async def render_graphql_ide(self, request: Request) -> Response:
        # The self-hosted GraphiQL (never Strawberry's CDN page), under a strict CSP.
        endpoint = request.url.path
        return HTMLResponse(ide.graphiql_html(endpoint=endpoint), headers=ide.graphiql_headers(endpoint))


def _transport_error(status: int, message: str, request_id: str, method: str) -> Response:
    # 405 to a GET is a mutation over GET: only POST would do. Otherwise GET and POST both serve.
    headers = {"Allow": "POST" if method == "GET" else "GET, POST"} if status == 405 else {}
    body = {"data": None, "errors": [{"message": message, "extensions": {"requestId": request_id}}]}
    return JSONResponse(body, status_code=status, headers=headers)
