"""Per-request plumbing for REST endpoints: the caller, the request's database, errors."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Awaitable, Callable
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from gateway.providers.base import Provider
from gateway.rest import params
from gateway.rest.responses import error_response, service_error_response
from gateway.services.accounts import authenticate
from gateway.services.errors import ServiceError, Unauthenticated
from gateway.storage.database import RequestDatabase
from gateway.storage.tables import Account
from gateway.web.body import BodyTooLarge
from gateway.web.forms import Parameters


@dataclass
class RestContext:
    request: Request
    #: the services open their own short sessions on it, one at a time
    db: RequestDatabase
    caller: Account
    provider: Provider

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
        state = request.app.state
        db = state.database.for_request()
        try:
            caller = await authenticate_request(request, db)
            return await handler(RestContext(request, db, caller, state.provider))
        except ServiceError as error:
            return service_error_response(request, error, params.label(error.field))
        except BodyTooLarge as error:
            return error_response(request, 413, None, str(error))

    return run


def basic_credentials(request: Request) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise Unauthenticated("HTTP Basic credentials (account sid or e-mail, auth token) are required")
    try:
        username, separator, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):  # ValueError: binascii.Error, or non-ASCII text
        raise Unauthenticated("the Authorization header is not valid HTTP Basic") from None
    if not separator:
        raise Unauthenticated("the Authorization header is not valid HTTP Basic")
    # Some clients send the e-mail still percent-encoded (administrator%40company.com).
    return unquote(username), secret


async def authenticate_request(request: Request, db: RequestDatabase) -> Account:
    username, secret = basic_credentials(request)
    return await authenticate(db=db, username=username, secret=secret)
