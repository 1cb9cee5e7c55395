"""The per-request GraphQL context: the request's database, caller, provider, loaders, request id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from gateway.graphql.loaders import Loaders, create_loaders
from gateway.providers.base import Provider
from gateway.services.login import Login
from gateway.storage.database import RequestDatabase
from gateway.storage.tables import Account
from gateway.web.context import request_id


@dataclass
class GraphQLContext:
    #: the HTTP request, or the websocket of subscriptions
    request: HTTPConnection
    response: Response | None
    #: the request's sessions: sibling resolvers take turns, one connection at a time
    db: RequestDatabase
    provider: Provider
    #: None only while serving the GraphiQL page, which runs no operation
    login: Login | None
    loaders: Loaders
    request_id: str
    #: whether the request named its operation (a document of several must)
    operation_named: bool = True
    #: the document parsed and validated, and execution began (else a 400 in GraphQL over HTTP)
    execution_started: bool = False
    #: a websocket's connection_init payload (Strawberry sets it), where a browser puts credentials
    connection_params: dict[str, Any] | None = None
    #: a websocket's credentials, and when they were last checked (`graphql.websocket`)
    authorization: str | None = None
    signed_in_at: float = 0.0
    #: queries run from compiled plans (`graphql.executor`), unless GATEWAY_GRAPHQL_COMPILER=off
    compiled_execution: bool = True

    @property
    def caller(self) -> Account | None:
        return self.login.account if self.login is not None else None

    @property
    def viewer(self) -> Account:
        assert self.login is not None, "operations run only for authenticated requests"
        return self.login.account

    @property
    def signed_in_with_key(self) -> bool:
        return self.login is not None and self.login.delegated


Info = StrawberryInfo[GraphQLContext, None]


def build_context(
    request: HTTPConnection, response: Response | None, db: RequestDatabase, login: Login | None
) -> GraphQLContext:
    return GraphQLContext(
        request=request,
        response=response,
        db=db,
        provider=request.app.state.provider,
        login=login,
        loaders=create_loaders(db, login.account if login is not None else None),
        request_id=request_id(request),
        compiled_execution=request.app.state.settings.graphql_compiler,
    )
