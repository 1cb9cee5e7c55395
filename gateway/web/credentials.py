"""The credentials of a request, as REST and GraphQL both read them (README: Accounts and authentication).

HTTP Basic: the username is an account sid, an e-mail or an API key sid, the password
the auth token, a password whose MD5 is the token, or the key's secret;
`services.login.SignIn` decides, throttling by the client's address.
`Authorization: Bearer <access token>`: a token from `services.access_tokens`.

A 401 challenges with `Basic realm="Restcomm realm"` only where that helps a person (curl,
the IDE page): a Basic challenge makes a browser open its sign-in dialog over whatever
page made the request, so a scripted request (`X-Requested-With`), a request from a
page of another origin, and one with a Bearer token are challenged with `Bearer`
instead, which no browser answers with a dialog.
"""

from __future__ import annotations

import base64
from urllib.parse import unquote, urlsplit

from starlette.requests import HTTPConnection

from gateway.domain.errors import Unauthenticated
from gateway.services.login import Login, SignIn
from gateway.storage.database import Sessions
from gateway.web.cors import is_cross_origin

BASIC_CHALLENGE = 'Basic realm="Restcomm realm"'
BEARER_CHALLENGE = 'Bearer realm="Restcomm realm"'
INVALID_TOKEN_CHALLENGE = 'Bearer realm="Restcomm realm", error="invalid_token"'


def _scheme(request: HTTPConnection) -> str:
    return request.headers.get("authorization", "").partition(" ")[0].lower()


def challenge(request: HTTPConnection) -> dict[str, str]:
    """The `WWW-Authenticate` header of a 401 to this request."""
    if _scheme(request) == "bearer":
        return {"WWW-Authenticate": INVALID_TOKEN_CHALLENGE}
    if "x-requested-with" in request.headers or is_cross_origin(request.headers, own_origins(request)):
        return {"WWW-Authenticate": BEARER_CHALLENGE}
    return {"WWW-Authenticate": BASIC_CHALLENGE}


def own_origins(request: HTTPConnection) -> tuple[str, ...]:
    """The origins this gateway is reached at: as the request addressed it, and as
    GATEWAY_PUBLIC_URL names it behind a proxy."""
    addressed = f"{request.url.scheme}://{request.url.netloc}"
    public_url = request.app.state.settings.public_url if hasattr(request.app.state, "settings") else None
    if public_url:
        parts = urlsplit(public_url)
        return (addressed, f"{parts.scheme}://{parts.netloc}")
    return (addressed,)


def basic_credentials(header: str) -> tuple[str, str]:
    """(username, secret) of an `Authorization` header's HTTP Basic credentials, or Unauthenticated."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise Unauthenticated(
            "HTTP Basic credentials (account sid or e-mail, auth token) or a Bearer access token are required"
        )
    try:
        username, separator, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):  # ValueError: binascii.Error, or non-ASCII text
        raise Unauthenticated("the Authorization header is not valid HTTP Basic") from None
    if not separator:
        raise Unauthenticated("the Authorization header is not valid HTTP Basic")
    # Some clients send the e-mail still percent-encoded (administrator%40company.com).
    return unquote(username), secret


def bearer_token(header: str) -> str | None:
    """The access token of an `Authorization: Bearer` header, else None."""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def authenticate_request(request: HTTPConnection, db: Sessions, authorization: str | None = None) -> Login:
    """Who the credentials name: those of `authorization` if given (a websocket's
    connection_init payload), else the request's header. Unauthenticated, Forbidden or
    TooManyRequests otherwise."""
    header = authorization if authorization is not None else request.headers.get("authorization", "")
    sign_in: SignIn = request.app.state.sign_in
    token = bearer_token(header)
    if token is not None:
        return await sign_in.authenticate_bearer(db=db, token=token)
    username, secret = basic_credentials(header)
    address = request.client.host if request.client is not None else None
    return await sign_in.authenticate(db=db, username=username, secret=secret, address=address)
