"""The per-request GraphQL context: sessions, caller, provider, loaders, request id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from gateway.graphql.loaders import Loaders, create_loaders
from gateway.providers.base import Provider
from gateway.storage.database import SessionMaker
from gateway.storage.tables import Account


@dataclass
class GraphQLContext:
    request: Request
    response: Response | None
    sessionmaker: SessionMaker
    provider: Provider
    #: None only while serving the GraphiQL page, which runs no operation
    caller: Account | None
    loaders: Loaders
    request_id: str

    def session(self) -> AsyncSession:
        """A new session, used as `async with ctx.session() as session:`.

        Each resolver opens its own: sibling resolvers run concurrently and one
        `AsyncSession` must not be shared between them.
        """
        return self.sessionmaker()

    @property
    def viewer(self) -> Account:
        assert self.caller is not None, "operations run only for authenticated requests"
        return self.caller


Info = StrawberryInfo[GraphQLContext, None]


def request_id_of(request: Request) -> str:
    """The id the Observability middleware gave this request (one is made if it did not run)."""
    state = request.scope.setdefault("state", {})
    if not state.get("request_id"):
        state["request_id"] = uuid.uuid4().hex
    return str(state["request_id"])


def build_context(request: Request, response: Response | None, caller: Account | None) -> GraphQLContext:
    state = request.app.state
    return GraphQLContext(
        request=request,
        response=response,
        sessionmaker=state.sessionmaker,
        provider=state.provider,
        caller=caller,
        loaders=create_loaders(state.sessionmaker, caller),
        request_id=request_id_of(request),
    )
