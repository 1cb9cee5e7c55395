"""How a number routes its traffic, as GraphQL shows it: `voice` is a VoiceRoute, `sms`,
`ussd` and `refer` are MessagingRoutes (refer has no fallback: null there), and the
capabilities. Written out field by field; `tests/test_route_families.py` checks they
equal `domain.route_families`, the one definition of the settings.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import strawberry

from gateway.graphql import descriptions as text
from gateway.graphql.context import Info
from gateway.graphql.loaders import later
from gateway.storage import tables

if TYPE_CHECKING:
    from gateway.graphql.types import Application

#: the application type, from the module that imports this one
LazyApplication = Annotated["Application", strawberry.lazy("gateway.graphql.types")]
_VOICE, _MESSAGING = text.ROUTE_FIELDS, text.ROUTE_FIELDS


@strawberry.enum(description=text.HTTP_METHOD)
class HttpMethod(str, enum.Enum):
    GET = "GET"
    POST = "POST"


@strawberry.type(description=text.CAPABILITIES)
class Capabilities:
    voice: bool = strawberry.field(description=text.CAPABILITY_FIELDS["voice"])
    sms: bool = strawberry.field(description=text.CAPABILITY_FIELDS["sms"])
    mms: bool = strawberry.field(description=text.CAPABILITY_FIELDS["mms"])
    fax: bool = strawberry.field(description=text.CAPABILITY_FIELDS["fax"])


class Capable(Protocol):
    """Anything with capability columns: a number row, or a number the carrier offers."""

    voice_capable: bool
    sms_capable: bool
    mms_capable: bool
    fax_capable: bool


def capabilities_of(row: Capable) -> Capabilities:
    return Capabilities(voice=bool(row.voice_capable), sms=bool(row.sms_capable), mms=bool(row.mms_capable),
                        fax=bool(row.fax_capable))


def _application(sid: str | None, info: Info) -> Any:
    return later(info.context.loaders.applications.load(sid)) if sid else None


@strawberry.type(description=text.VOICE_ROUTE)
class VoiceRoute:
    url: str | None = strawberry.field(description=_VOICE[("voice", "url")])
    method: HttpMethod = strawberry.field(description=_VOICE[("voice", "method")])
    fallback_url: str | None = strawberry.field(description=_VOICE[("voice", "fallback_url")])
    fallback_method: HttpMethod = strawberry.field(description=_VOICE[("voice", "fallback_method")])
    status_callback: str | None = strawberry.field(description=_VOICE[("voice", "status_callback")])
    status_callback_method: HttpMethod = strawberry.field(description=_VOICE[("voice", "status_callback_method")])
    caller_id_lookup: bool = strawberry.field(description=_VOICE[("voice", "caller_id_lookup")])
    application_sid: strawberry.ID | None = strawberry.field(description=_VOICE[("voice", "application_sid")])

    @strawberry.field(description=text.APPLICATION_FIELD)
    def application(self, info: Info) -> LazyApplication | None:
        return _application(self.application_sid, info)


@strawberry.type(description=text.MESSAGING_ROUTE)
class MessagingRoute:
    url: str | None = strawberry.field(description=_MESSAGING[("messaging", "url")])
    method: HttpMethod = strawberry.field(description=_MESSAGING[("messaging", "method")])
    fallback_url: str | None = strawberry.field(description=_MESSAGING[("messaging", "fallback_url")])
    fallback_method: HttpMethod | None = strawberry.field(description=_MESSAGING[("messaging", "fallback_method")])
    application_sid: strawberry.ID | None = strawberry.field(description=_MESSAGING[("messaging", "application_sid")])

    @strawberry.field(description=text.APPLICATION_FIELD)
    def application(self, info: Info) -> LazyApplication | None:
        return _application(self.application_sid, info)


def voice_route(number: tables.IncomingPhoneNumber) -> VoiceRoute:
    return VoiceRoute(
        url=number.voice_url, method=HttpMethod(number.voice_method),
        fallback_url=number.voice_fallback_url, fallback_method=HttpMethod(number.voice_fallback_method),
        status_callback=number.status_callback, status_callback_method=HttpMethod(number.status_callback_method),
        caller_id_lookup=number.voice_caller_id_lookup, application_sid=_id(number.voice_application_sid),
    )


def sms_route(number: tables.IncomingPhoneNumber) -> MessagingRoute:
    return MessagingRoute(
        url=number.sms_url, method=HttpMethod(number.sms_method),
        fallback_url=number.sms_fallback_url, fallback_method=HttpMethod(number.sms_fallback_method),
        application_sid=_id(number.sms_application_sid),
    )


def ussd_route(number: tables.IncomingPhoneNumber) -> MessagingRoute:
    return MessagingRoute(
        url=number.ussd_url, method=HttpMethod(number.ussd_method),
        fallback_url=number.ussd_fallback_url, fallback_method=HttpMethod(number.ussd_fallback_method),
        application_sid=_id(number.ussd_application_sid),
    )


def refer_route(number: tables.IncomingPhoneNumber) -> MessagingRoute:
    return MessagingRoute(
        url=number.refer_url, method=HttpMethod(number.refer_method), fallback_url=None, fallback_method=None,
        application_sid=_id(number.refer_application_sid),
    )


def _id(sid: str | None) -> strawberry.ID | None:
    return strawberry.ID(sid) if sid is not None else None
