"""The GraphQL routes: the endpoint at /graphql and, when installed, GraphiQL's assets."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from gateway.graphql.view import GatewayGraphQL, ide_module


def graphql_routes() -> list[BaseRoute]:
    ide = ide_module()
    # Route, not Mount: Mount("/graphql") answers /graphql itself with a 307 redirect.
    return [*(ide.ide_routes() if ide is not None else ()), Route("/graphql", GatewayGraphQL())]
