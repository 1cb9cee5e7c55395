"""Responses in the client's format, and Twilio-style error bodies."""

from __future__ import annotations

import logging
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import Response

from gateway.domain.errors import RetryLater, ServiceError, Unauthenticated
from gateway.domain.fields import field
from gateway.rest.negotiation import wants_json
from gateway.rest.representation import dumps, xml_document, xml_text
from gateway.web.credentials import challenge
from gateway.web.statuses import http_status

log = logging.getLogger("gateway.rest")

JSON_TYPE = "application/json"
XML_TYPE = "application/xml"
MORE_INFO = "https://github.com/numbers-gateway/gateway#error-codes"

def render(
    request: Request, json_document: Callable[[], Any], xml_body: Callable[[], str], status: int = 200
) -> Response:
    """Build only the representation the client asked for."""
    if wants_json(request):
        return Response(dumps(json_document()), status, media_type=JSON_TYPE)
    return Response(xml_document(xml_body()), status, media_type=XML_TYPE)


def error_response(
    request: Request, status: int, code: int | None, message: str, headers: dict[str, str] | None = None
) -> Response:
    body = {"code": code, "message": message, "more_info": MORE_INFO, "status": status}
    xml = (
        "<RestException>"
        + "".join(f"<{k}>{xml_text(str(v))}</{k}>" for k, v in
                  (("Code", code or ""), ("Message", message), ("MoreInfo", MORE_INFO), ("Status", status)))
        + "</RestException>"
    )
    response = render(request, lambda: body, lambda: xml, status)
    response.headers.update(headers or {})
    return response


def rest_parameter(name: str) -> str:
    """How REST names a service-level input (`voice_url` → `VoiceUrl`)."""
    return field(name).rest


def service_error_response(request: Request, error: ServiceError) -> Response:
    status = http_status(error.code)
    headers: dict[str, str] = {}
    if isinstance(error, Unauthenticated):
        headers.update(challenge(request))
    if isinstance(error, RetryLater):
        headers["Retry-After"] = str(error.retry_after)
    return error_response(request, status, error.code.restcomm_code, error.message_for(rest_parameter), headers)

