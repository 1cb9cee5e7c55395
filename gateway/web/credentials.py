"""The credentials of a request, as REST and GraphQL both read them (README: Accounts and authentication).

HTTP Basic: the username is an account sid or e-mail, the password its auth token or a
password whose MD5 is the token; `services.accounts.authenticate` decides. A refusal
challenges with Restcomm's realm.
"""

from __future__ import annotations

import base64
from urllib.parse import unquote

from starlette.requests import Request

from gateway.domain.errors import Unauthenticated
from gateway.services.accounts import authenticate
from gateway.storage.database import Sessions
from gateway.storage.tables import Account

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


async def authenticate_request(request: Request, db: Sessions) -> Account:
    """The account the request's credentials name (Unauthenticated or Forbidden otherwise)."""
    username, secret = basic_credentials(request)
    return await authenticate(db=db, username=username, secret=secret)
