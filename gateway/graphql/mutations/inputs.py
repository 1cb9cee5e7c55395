"""Inputs shared by the number mutations, written out field by field.

`voice` is a VoiceRouteInput, `sms` and `ussd` MessagingRouteInputs, `refer` a
ReferRouteInput (Refer has no fallback; on output it is a MessagingRoute whose fallback
fields are null). Every field defaults to UNSET so an update can tell "not given"
(unchanged) from an explicit null (cleared). `settings_from` turns them into the
services' `settings` mapping, keyed by column as REST builds it, through
`domain.route_families`; `tests/test_route_families.py` keeps the fields equal to it.
"""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from strawberry.types.unset import UnsetType

from gateway.domain.route_families import CAPABILITIES, FAMILIES
from gateway.graphql import descriptions as text
from gateway.graphql.call_routes import HttpMethod

_IN = text.ROUTE_INPUT_FIELDS


def _unset(description: str) -> Any:
    return strawberry.field(default=strawberry.UNSET, description=description)


@strawberry.input(description=text.VOICE_ROUTE_INPUT)
class VoiceRouteInput:
    url: str | None = _unset(_IN[("voice", "url")])
    method: HttpMethod | None = _unset(_IN[("voice", "method")])
    fallback_url: str | None = _unset(_IN[("voice", "fallback_url")])
    fallback_method: HttpMethod | None = _unset(_IN[("voice", "fallback_method")])
    status_callback: str | None = _unset(_IN[("voice", "status_callback")])
    status_callback_method: HttpMethod | None = _unset(_IN[("voice", "status_callback_method")])
    caller_id_lookup: bool | None = _unset(_IN[("voice", "caller_id_lookup")])
    application_sid: strawberry.ID | None = _unset(_IN[("voice", "application_sid")])


@strawberry.input(description=text.MESSAGING_ROUTE_INPUT)
class MessagingRouteInput:
    url: str | None = _unset(_IN[("messaging", "url")])
    method: HttpMethod | None = _unset(_IN[("messaging", "method")])
    fallback_url: str | None = _unset(_IN[("messaging", "fallback_url")])
    fallback_method: HttpMethod | None = _unset(_IN[("messaging", "fallback_method")])
    application_sid: strawberry.ID | None = _unset(_IN[("messaging", "application_sid")])


@strawberry.input(description=text.REFER_ROUTE_INPUT)
class ReferRouteInput:
    url: str | None = _unset(_IN[("messaging", "url")])
    method: HttpMethod | None = _unset(_IN[("messaging", "method")])
    application_sid: strawberry.ID | None = _unset(_IN[("messaging", "application_sid")])


@strawberry.input(description=text.CAPABILITIES_INPUT)
class CapabilitiesInput:
    voice: bool | None = _unset(text.CAPABILITY_FIELDS["voice"])
    sms: bool | None = _unset(text.CAPABILITY_FIELDS["sms"])
    mms: bool | None = _unset(text.CAPABILITY_FIELDS["mms"])
    fax: bool | None = _unset(text.CAPABILITY_FIELDS["fax"])


#: the input type of each family, as the mutations declare them
ROUTE_INPUTS: dict[str, type] = {
    "voice": VoiceRouteInput, "sms": MessagingRouteInput, "ussd": MessagingRouteInput, "refer": ReferRouteInput,
}


def given(value: Any) -> bool:
    return not isinstance(value, UnsetType)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def settings_from(source: Any, *, nulls: bool) -> dict[str, Any]:
    """The `settings` mapping (column → value) for the services from an input with
    `voice`/`sms`/`ussd`/`refer`/`capabilities` fields.

    `nulls=False` (purchase): null is the same as absent. `nulls=True` (update): an
    explicit null is passed on, and the services clear a URL or application with it and
    restore a method to POST (as an empty REST parameter does).
    """
    settings: dict[str, Any] = {}
    for family in FAMILIES:
        route = getattr(source, family.name, strawberry.UNSET)
        if not given(route) or route is None:
            continue
        for setting in family.settings:
            value = getattr(route, setting.name, strawberry.UNSET)
            if given(value) and (value is not None or nulls):
                settings[setting.column] = _plain(value)
    capabilities = getattr(source, "capabilities", strawberry.UNSET)
    if given(capabilities) and capabilities is not None:
        for capability in CAPABILITIES:
            value = getattr(capabilities, capability)
            if given(value) and (value is not None or nulls):
                settings[f"{capability}_capable"] = value
    return settings


def optional(value: Any) -> Any:
    """UNSET → None, for service arguments where absent and null mean the same."""
    return None if not given(value) else value
