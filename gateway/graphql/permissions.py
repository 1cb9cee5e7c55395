"""Authentication on every GraphQL operation, with the REST credentials (`web.credentials`):
HTTP Basic or a Bearer access token. Bad or missing credentials: HTTP 401 with the
challenge `web.credentials.challenge` chooses; an account that is not active: 403. The whole request is refused before any operation
runs, so no resolver ever sees an anonymous caller.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.domain.errors import RetryLater, ServiceError
from gateway.services.login import Login
from gateway.storage.database import RequestDatabase
from gateway.web import credentials
from gateway.web.credentials import challenge
from gateway.web.statuses import http_status


class AuthenticationFailed(Exception):
    """The request is refused before execution: 401, 403, 429 after repeated failures,
    or 503 when the gateway is busy."""

    def __init__(self, error: ServiceError) -> None:
        super().__init__(error.message_for())
        self.error = error

    @property
    def status_code(self) -> int:
        return http_status(self.error.code)

    def response(self, request: Request, request_id: str) -> Response:
        headers = challenge(request) if self.status_code == 401 else {}
        if isinstance(self.error, RetryLater):
            headers["Retry-After"] = str(self.error.retry_after)
        body = {
            "data": None,
            "errors": [{
                "message": self.error.message_for(),
                "extensions": {
                    "code": self.error.code.name,
                    "restcommCode": self.error.code.restcomm_code,
                    "requestId": request_id,
                },
            }],
        }
        return JSONResponse(body, status_code=self.status_code, headers=headers)


async def authenticate_request(request: Request, db: RequestDatabase) -> Login:
    """The caller named by the request's HTTP Basic credentials, or AuthenticationFailed."""
    try:
        return await credentials.authenticate_request(request, db)
    except ServiceError as error:
        raise AuthenticationFailed(error) from None
