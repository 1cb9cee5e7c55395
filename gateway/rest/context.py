"""Per-request plumbing for REST endpoints: the caller, the request's database, errors."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from gateway.domain.errors import ServiceError
from gateway.providers.base import Provider
from gateway.rest import params
from gateway.rest.responses import error_response, service_error_response
from gateway.services.login import Login
from gateway.storage.database import RequestDatabase
from gateway.storage.tables import Account
from gateway.web.body import BodyTooLarge
from gateway.web.context import request_database
from gateway.web.credentials import authenticate_request
from gateway.web.forms import Parameters


@dataclass
class RestContext:
    request: Request
    #: the services open their own short sessions on it, one at a time
    db: RequestDatabase
    login: Login
    provider: Provider

    @property
    def caller(self) -> Account:
        return self.login.account

    @property
    def account_sid(self) -> str:
        return str(self.request.path_params["account_sid"])

    @cached_property
    def query(self) -> Parameters:
        """The query string, strictly decoded (an InvalidParameter names a bad one)."""
        return params.query(self.request)


Handler = Callable[[RestContext], Awaitable[Response]]


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: authenticate, then render service errors in the client's format."""

    @wraps(handler)
    async def run(request: Request) -> Response:
        db = request_database(request)
        try:
            login = await authenticate_request(request, db)
            return await handler(RestContext(request, db, login, request.app.state.provider))
        except ServiceError as error:
            return service_error_response(request, error)
        except BodyTooLarge as error:
            return error_response(request, 413, None, str(error))

    return run
