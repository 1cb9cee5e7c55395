"""The GraphQL routes: the endpoint at /graphql (HTTP and websocket) and GraphiQL's assets."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route, WebSocketRoute

from gateway.graphql import ide
from gateway.graphql.view import GatewayGraphQL


def graphql_routes() -> list[BaseRoute]:
    # Route, not Mount: Mount("/graphql") answers /graphql itself with a 307 redirect. One
    # view serves both: HTTP, and the websockets of subscriptions (graphql-transport-ws).
    view = GatewayGraphQL()
    return [*ide.ide_routes(), Route("/graphql", view), WebSocketRoute("/graphql", view)]
