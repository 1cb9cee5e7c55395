"""The HTTP status of each error kind, for every front-end that answers over HTTP."""

from __future__ import annotations

from gateway.domain.errors import ErrorCode

_STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.TOO_MANY_REQUESTS: 429,
    ErrorCode.PROVIDER_UNAVAILABLE: 503,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
}


def http_status(code: ErrorCode) -> int:
    """401, 403, 404, 409, 429 or 503 as the code says; 400 for every invalid input."""
    return _STATUS.get(code, 400)
