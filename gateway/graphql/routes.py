"""The GraphQL routes: the endpoint at /graphql and GraphiQL's assets."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from gateway.graphql import ide
from gateway.graphql.view import GatewayGraphQL


def graphql_routes() -> list[BaseRoute]:
    # Route, not Mount: Mount("/graphql") answers /graphql itself with a 307 redirect.
    return [*ide.ide_routes(), Route("/graphql", GatewayGraphQL())]
