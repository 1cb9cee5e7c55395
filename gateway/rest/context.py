"""Per-request plumbing for REST endpoints: database session, caller, errors."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import wraps
from typing import Awaitable, Callable
from urllib.parse import unquote

from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from gateway.providers.base import Provider
from gateway.rest.params import BodyTooLarge, label
from gateway.rest.responses import error_response, service_error_response
from gateway.services.accounts import authenticate
from gateway.services.errors import ServiceError, Unauthenticated
from gateway.storage.tables import Account


@dataclass
class RestContext:
    request: Request
    session: AsyncSession
    caller: Account
    provider: Provider

    @property
    def account_sid(self) -> str:
        return str(self.request.path_params["account_sid"])


Handler = Callable[[RestContext], Awaitable[Response]]


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: open a session, authenticate, render service errors."""

    @wraps(handler)
    async def run(request: Request) -> Response:
        state = request.app.state
        try:
            async with state.sessionmaker() as session:
                caller = await authenticate_request(request, session)
                return await handler(RestContext(request, session, caller, state.provider))
        except ServiceError as error:
            return service_error_response(request, error, label(error.field))
        except BodyTooLarge:
            return error_response(request, 413, None, "the request body is larger than 64 KiB")

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


async def authenticate_request(request: Request, session: AsyncSession) -> Account:
    username, secret = basic_credentials(request)
    return await authenticate(session=session, username=username, secret=secret)
