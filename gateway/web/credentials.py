"""The credentials of a request, as REST and GraphQL both read them (README: Accounts and authentication).

HTTP Basic: the username is an account sid, an e-mail or an API key sid, the password
the auth token, a password whose MD5 is the token, or the key's secret;
`services.login.SignIn` decides, throttling by the client's address. A refusal
challenges with Restcomm's realm.
"""

from __future__ import annotations

import base64
from urllib.parse import unquote

from starlette.requests import Request

from gateway.domain.errors import Unauthenticated
from gateway.services.login import Login, SignIn
from gateway.storage.database import Sessions

AUTH_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Restcomm realm"'}


def basic_credentials(request: Request) -> tuple[str, str]:
    """(username, secret) of the request's HTTP Basic credentials, or Unauthenticated."""
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


async def authenticate_request(request: Request, db: Sessions) -> Login:
    """Who the request's credentials name (Unauthenticated, Forbidden or TooManyRequests otherwise)."""
    username, secret = basic_credentials(request)
    sign_in: SignIn = request.app.state.sign_in
    address = request.client.host if request.client is not None else None
    return await sign_in.authenticate(db=db, username=username, secret=secret, address=address)
